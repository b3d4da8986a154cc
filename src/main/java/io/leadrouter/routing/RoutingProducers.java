package io.leadrouter.routing;

import java.util.Random;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import io.leadrouter.LeadRouterConfig;

public class RoutingProducers {

    @Produces
    @Singleton
    RoutingEngine routingEngine() {
        // java.util.Random is thread-safe; ties only need to be unpredictable, not cryptographic
        return new RoutingEngine(new Random());
    }

    @Produces
    @Singleton
    ModeHysteresis modeHysteresis(LeadRouterConfig config) {
        return new ModeHysteresis(config.modePullAbove(), config.modePushBelow());
    }
}
