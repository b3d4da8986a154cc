package io.leadrouter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** application.properties as the packaged service reads it (profile prod): no key or secret of dev mode or the tests. */
class ProductionProfileTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");

    private static SmallRyeConfig config(String profile) throws IOException {
        return new SmallRyeConfigBuilder().withProfile(profile)
                .withSources(new PropertiesConfigSource(PROPERTIES.toUri().toURL(), 250)).build();
    }

    @Test
    void noDevOrTestSecretIsSetUnderTheProductionProfile() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            file.load(reader);
        }
        SmallRyeConfig prod = config("prod");
        int secrets = 0;
        for (String name : file.stringPropertyNames()) {
            if (!name.matches("%(dev|test)\\..*") || !name.matches(".*(key|secret|password|token).*")) {
                continue;
            }
            String key = name.substring(name.indexOf('.') + 1);
            assertThat(prod.getOptionalValue(key, String.class)).as("%s under the prod profile", key).isEmpty();
            secrets++;
        }
        assertThat(secrets).as("the dev and test keys and secrets checked").isGreaterThanOrEqualTo(4);
        assertThat(config("test").getOptionalValue("leadrouter.api-keys", String.class)).as("the file was read").isPresent();
        assertThat(prod.getOptionalValue("leadrouter.api-keys", String.class)).isEmpty();
        assertThat(prod.getOptionalValue("leadrouter.token-secret", String.class)).isEmpty();
    }

    @Test
    void theApiDescriptionNeedsAKeyAndSwaggerUiIsNotPackaged() throws IOException {
        SmallRyeConfig prod = config("prod");
        assertThat(prod.getValue("quarkus.http.auth.permission.api-description.policy", String.class)).isEqualTo("readers");
        assertThat(prod.getValue("quarkus.http.auth.policy.readers.roles-allowed", String.class)).isEqualTo(Roles.READ);
        assertThat(prod.getOptionalValue("quarkus.swagger-ui.always-include", Boolean.class)).isEmpty();
        assertThat(prod.getOptionalValue("leadrouter.embedded-db-in-prod", Boolean.class)).isEmpty();
        assertThat(prod.getValue("quarkus.management.enabled", Boolean.class)).isTrue();
    }
}
