package io.leadrouter.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The probes Kubernetes calls: unauthenticated, 200 and UP on a healthy service. */
@QuarkusTest
class HealthTest {

    @Test
    void liveAnswersUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readyChecksTheDatabaseAndTheMigrations() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check", MigrationsCheck.NAME))
                .body("checks.find { it.name == 'migrations' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'migrations' }.data.applied", equalTo("2"))
                .body("checks.find { it.name == 'migrations' }.data.expected", equalTo("2"));
    }

    @Test
    void startedIsUpOnceTheApplicationHasStarted() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems(StartedCheck.NAME));
    }
}
