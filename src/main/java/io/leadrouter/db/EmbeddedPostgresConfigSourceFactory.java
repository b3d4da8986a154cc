package io.leadrouter.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts an embedded PostgreSQL when, and only when, no datasource URL is configured, and
 * points the datasources at it. A configured URL (env var, system property or file) wins and
 * no server is started, so Kubernetes and CI use their own PostgreSQL. Outside dev mode and tests the embedded
 * server (a local superuser database with a known password) starts only when asked to with
 * {@code leadrouter.embedded-db-in-prod=true}: a production start that lost its datasource settings stops instead.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String DATA_DIR = "leadrouter.embedded-db-dir";
    static final String CLEAN = "leadrouter.embedded-db-clean";
    static final String IN_PROD = "leadrouter.embedded-db-in-prod";
    /** Below application.properties (250), so any configured value still wins. */
    static final int ORDINAL = 200;

    /** JVM-wide, so an application restarted in a new class loader (dev mode, test profiles) reuses the server. */
    static final String RUNNING_PORT = "lead-router.embedded-postgres.port";

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresConfigSourceFactory.class);

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context, REACTIVE_URL) || isSet(context, JDBC_URL)
                || ExecutionMode.current() == ExecutionMode.UNSET) {
            // a configured server wins; and while the application is being built there is nothing to connect yet
            return List.of();
        }
        requireConsentOutsideDevAndTest(LaunchMode.current(), context);
        int port = start(dataDir(context), "true".equals(value(context, CLEAN)));
        return List.of(new PropertiesConfigSource(Map.of(
                REACTIVE_URL, "postgresql://localhost:" + port + "/postgres",
                JDBC_URL, "jdbc:postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"),
                "embedded-postgresql", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    static void requireConsentOutsideDevAndTest(LaunchMode mode, ConfigSourceContext context) {
        if (!mode.isDevOrTest() && !"true".equals(value(context, IN_PROD))) {
            throw new IllegalStateException("No datasource URL is configured: set QUARKUS_DATASOURCE_REACTIVE_URL and "
                    + "QUARKUS_DATASOURCE_JDBC_URL (and QUARKUS_DATASOURCE_USERNAME / _PASSWORD) to your PostgreSQL, or "
                    + "LEADROUTER_EMBEDDED_DB_IN_PROD=true to start an embedded PostgreSQL for a demo");
        }
    }

    /** The embedded server's port, or -1 when this process uses a configured PostgreSQL. */
    public static int runningPort() {
        return Integer.getInteger(RUNNING_PORT, -1);
    }

    private static int start(Path dataDir, boolean clean) {
        synchronized (System.class) {
            if (runningPort() > 0) {
                return runningPort();
            }
            try {
                Files.createDirectories(dataDir.getParent());
                EmbeddedPostgres server = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(clean)
                        .setServerConfig("max_connections", "100")
                        .start();
                LOG.infof("No datasource URL configured: started embedded PostgreSQL on port %d with data in %s",
                        server.getPort(), dataDir);
                System.setProperty(RUNNING_PORT, Integer.toString(server.getPort()));
                return server.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir
                        + ": is another Lead Router using it? Stop that one, or set leadrouter.embedded-db-dir", e);
            }
        }
    }

    private static Path dataDir(ConfigSourceContext context) {
        String configured = value(context, DATA_DIR);
        return Path.of(configured != null ? configured : System.getProperty("user.home") + "/.lead-router/pgdata")
                .toAbsolutePath();
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        String value = value(context, name);
        return value != null && !value.isBlank();
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }
}
