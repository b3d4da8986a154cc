package io.leadrouter.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.leadrouter.support.Api;
import io.restassured.specification.RequestSpecification;
import io.restassured.path.json.JsonPath;

/** The probes Kubernetes calls: on the management port only, unauthenticated, 200 and UP on a healthy service. */
@QuarkusTest
class HealthTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    private RequestSpecification probe() {
        return Api.management(management);
    }

    @Test
    void liveAnswersUpOnTheManagementPortAndNotOnTheMainOne() {
        probe().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        probe().get("/q/metrics").then().statusCode(200);
        for (String path : List.of("/q/health/live", "/q/health/ready", "/q/health", "/q/metrics")) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void readyChecksTheDatabaseAndTheMigrations() throws IOException {
        JsonPath ready = probe().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check", MigrationsCheck.NAME))
                .body("checks.find { it.name == 'migrations' }.status", equalTo("UP"))
                .extract().jsonPath();
        // the newest migration in src/main/resources/db/migration, applied at start-up
        assertThat(ready.getString("checks.find { it.name == 'migrations' }.data.expected")).isEqualTo(newestMigration());
        assertThat(ready.getString("checks.find { it.name == 'migrations' }.data.applied")).isEqualTo(newestMigration());
    }

    private static String newestMigration() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).max(Comparator.comparingInt(Integer::parseInt)).orElseThrow();
        }
    }

    @Test
    void startedIsUpOnceTheApplicationHasStarted() {
        probe().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems(StartedCheck.NAME));
    }
}
