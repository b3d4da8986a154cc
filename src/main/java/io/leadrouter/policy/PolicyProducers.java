package io.leadrouter.policy;


import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.routing.ModeHysteresis;

public class PolicyProducers {

    /** Built-in settings: the configured offer timeout, attempts and mode thresholds, and the documented defaults. */
    @Produces
    @Singleton
    PolicyCompiler policyCompiler(LeadRouterConfig config) {
        return new PolicyCompiler(TeamPolicy.builtIn(config.offerTimeout(), config.maxAttempts(),
                new ModeHysteresis(config.modePullAbove(), config.modePushBelow())));
    }
}
