package io.leadrouter.db;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leadrouter.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Both database paths: without a configured URL the suite runs on the embedded server; CI runs
 * the contract tests again with QUARKUS_DATASOURCE_*_URL pointing at the machine's PostgreSQL 15,
 * where no embedded server may start.
 */
@QuarkusTest
class DatabaseTest {

    @Inject
    Pool pool;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String reactiveUrl;

    @Test
    void theEmbeddedServerRunsExactlyWhenNoUrlIsConfigured() {
        boolean external = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") != null;
        int port = EmbeddedPostgresConfigSourceFactory.runningPort();
        if (external) {
            assertThat(port).as("no embedded server beside a configured one").isEqualTo(-1);
            assertThat(reactiveUrl).isEqualTo(System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL"));
        } else {
            assertThat(port).isPositive();
            assertThat(reactiveUrl).endsWith(":" + port + "/postgres");
        }
        String expectedMajor = System.getenv("EXPECTED_PG_MAJOR");
        if (expectedMajor != null) {
            assertThat(new Database(pool).rows("SHOW server_version").get(0).getString(0)).startsWith(expectedMajor + ".");
        }
    }

    @Test
    void flywayOwnsTheSchema() {
        Database db = new Database(pool);
        assertThat(db.count("SELECT count(*) FROM flyway_schema_history WHERE success")).isPositive();
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'offer_one_open_per_lead'")).isEqualTo(1);
    }

    @Test
    void aStatementAsLongAsTheDuplicateCheckedInsertIsPreparedOncePerConnectionAndKept() {
        // about the length of the intake's duplicate-checked insert, over the client's default cache limit of 2,048
        String statement = "SELECT $1::int + 1 /* " + "x".repeat(3_000) + " */";
        long kept = pool.withConnection(connection -> connection.preparedQuery(statement).execute(Tuple.of(1))
                .chain(() -> connection.preparedQuery(statement).execute(Tuple.of(2)))
                // a cached statement is a named one, which PostgreSQL lists for the session; an uncached one is not
                .chain(() -> connection.preparedQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1")
                        .execute(Tuple.of(statement))))
                .map(rows -> rows.iterator().next().getLong(0)).await().indefinitely();
        assertThat(kept).isEqualTo(1);
    }
}
