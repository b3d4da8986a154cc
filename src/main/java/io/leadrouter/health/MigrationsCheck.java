package io.leadrouter.health;

import java.util.Arrays;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * Ready only once the schema is at least at the newest migration this build ships, so a replica
 * never serves against a schema it was not written for (for instance while a migration job runs).
 * Each probe is one query over the reactive pool; Flyway's own, blocking view of the migrations is
 * asked once, off the event loop.
 */
@Readiness
@ApplicationScoped
public class MigrationsCheck implements AsyncHealthCheck {

    static final String NAME = "migrations";

    private final Flyway flyway;
    private final Pool pool;
    /** The newest versioned migration on the classpath; unknown until Flyway could be asked. */
    private volatile MigrationVersion shipped;

    public MigrationsCheck(Flyway flyway, Pool pool) {
        this.flyway = flyway;
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return shipped().chain(expected -> pool
                .query("SELECT version, success FROM " + flyway.getConfiguration().getTable() + " WHERE version IS NOT NULL")
                .execute().map(rows -> judge(expected, rows)))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("error", String.valueOf(failure.getMessage())).build());
    }

    private Uni<MigrationVersion> shipped() {
        MigrationVersion known = shipped;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return Uni.createFrom().item(() -> Arrays.stream(flyway.info().all())
                .filter(migration -> migration.getState().isResolved())
                .map(MigrationInfo::getVersion).filter(Objects::nonNull)
                .max(MigrationVersion::compareTo)
                .orElseThrow(() -> new IllegalStateException("No versioned migration on the classpath")))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(version -> shipped = version);
    }

    private static HealthCheckResponse judge(MigrationVersion expected, RowSet<Row> rows) {
        MigrationVersion applied = null;
        String failed = null;
        for (Row row : rows) {
            MigrationVersion version = MigrationVersion.fromVersion(row.getString("version"));
            if (!row.getBoolean("success")) {
                failed = version.getVersion();
            } else if (applied == null || version.compareTo(applied) > 0) {
                applied = version;
            }
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("expected", expected.getVersion())
                .withData("applied", applied == null ? "none" : applied.getVersion());
        if (failed != null) {
            response.withData("failed", failed);
        }
        // a schema newer than this build (a newer replica migrated it during a rolling update) does not make this one unready
        return response.status(failed == null && applied != null && applied.compareTo(expected) >= 0).build();
    }
}
