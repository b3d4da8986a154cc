package io.leadrouter.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The probes Kubernetes calls: unauthenticated, 200 and UP on a healthy service. */
@QuarkusTest
class HealthTest {

    @Test
    void liveAnswersUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readyChecksTheDatabaseAndTheMigrations() throws IOException {
        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
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
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems(StartedCheck.NAME));
    }
}
