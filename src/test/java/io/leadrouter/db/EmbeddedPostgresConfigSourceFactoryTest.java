package io.leadrouter.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/** The decision the factory makes before it would start anything: a configured URL means no embedded server. */
class EmbeddedPostgresConfigSourceFactoryTest {

    @Test
    void aConfiguredReactiveOrJdbcUrlMeansNoEmbeddedServer() {
        int before = EmbeddedPostgresConfigSourceFactory.runningPort();
        for (String key : List.of("quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url")) {
            var sources = new EmbeddedPostgresConfigSourceFactory()
                    .getConfigSources(context(Map.of(key, "postgresql://db.example:5432/leads")));
            assertThat(sources).isEmpty();
        }
        assertThat(EmbeddedPostgresConfigSourceFactory.runningPort()).isEqualTo(before);
    }

    @Test
    void nothingStartsWhileTheApplicationIsBeingBuilt() {
        // outside a running Quarkus application the execution mode is UNSET, as during the build
        org.junit.jupiter.api.Assumptions.assumeTrue(
                io.quarkus.runtime.ExecutionMode.current() == io.quarkus.runtime.ExecutionMode.UNSET);
        var sources = new EmbeddedPostgresConfigSourceFactory().getConfigSources(context(Map.of()));
        assertThat(sources).isEmpty();
    }

    @Test
    void aProductionStartWithoutADatasourceRefusesUnlessAskedTo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedPostgresConfigSourceFactory
                .requireConsentOutsideDevAndTest(LaunchMode.NORMAL, context(Map.of())))
                .hasMessageContaining("QUARKUS_DATASOURCE_REACTIVE_URL").hasMessageContaining("LEADROUTER_EMBEDDED_DB_IN_PROD=true");
        EmbeddedPostgresConfigSourceFactory.requireConsentOutsideDevAndTest(LaunchMode.NORMAL,
                context(Map.of("leadrouter.embedded-db-in-prod", "true")));
        EmbeddedPostgresConfigSourceFactory.requireConsentOutsideDevAndTest(LaunchMode.DEVELOPMENT, context(Map.of()));
        EmbeddedPostgresConfigSourceFactory.requireConsentOutsideDevAndTest(LaunchMode.TEST, context(Map.of()));
    }

    private static ConfigSourceContext context(Map<String, String> values) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String value = values.get(name);
                return value == null ? null : ConfigValue.builder().withName(name).withValue(value).build();
            }

            @Override
            public List<String> getProfiles() {
                return List.of();
            }

            @Override
            public java.util.Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }
        };
    }
}
