package io.leadrouter.policy;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.routing.ModeHysteresis;
import io.leadrouter.routing.RoutingRules;

public class PolicyProducers {

    /** Built-in settings: the configured offer timeout, attempts and mode thresholds, and the documented defaults. */
    @Produces
    @Singleton
    PolicyCompiler policyCompiler(LeadRouterConfig config) {
        return new PolicyCompiler(new TeamPolicy(config.offerTimeout(), config.maxAttempts(),
                new ModeHysteresis(config.modePullAbove(), config.modePushBelow()), RoutingRules.DEFAULT,
                new TeamPolicy.Aging(Duration.ofMinutes(5), 1, 5), Duration.ofMinutes(10), 0, 0, List.of(), null, false));
    }
}
