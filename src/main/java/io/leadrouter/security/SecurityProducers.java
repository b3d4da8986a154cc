package io.leadrouter.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import jakarta.enterprise.event.Observes;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.leadrouter.LeadRouterConfig;
import io.quarkus.runtime.StartupEvent;

public class SecurityProducers {

    private static final Logger LOG = Logger.getLogger(SecurityProducers.class);

    void warnWithoutApiKeys(@Observes StartupEvent event, LeadRouterConfig config) {
        if (config.apiKeys().map(List::isEmpty).orElse(true)) {
            LOG.warn("leadrouter.api-keys is not set: no bootstrap admin key, so only keys made before with POST /api/v1/keys work");
        }
    }

    @Produces
    @Singleton
    RepTokens repTokens(LeadRouterConfig config) {
        byte[] secret = config.tokenSecret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            LOG.warn("leadrouter.token-secret is not set: rep tokens are signed with a random secret and "
                    + "become invalid when this process stops; set it (the same on every replica) in production");
            return RepTokens.randomSecret();
        });
        return new RepTokens(secret, Clock.systemUTC());
    }
}
