package io.leadrouter.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.leadrouter.policy.DuplicateRule;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyDocument;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.ModeHysteresis;
import io.leadrouter.routing.RoutingRules;

/** Shared fixtures: the data directory, policies built in code, and small lead builders. */
final class TestScenarios {

    /** The sample data in the repository; {@code -Dleadrouter.data-dir=...} points elsewhere. */
    static final Path DATA = Path.of(System.getProperty("leadrouter.data-dir", "data"));
    static final Instant DAY = Instant.parse("2024-01-08T00:00:00Z");

    private TestScenarios() {
    }

    static TeamPolicy team(RoutingRules rules, TeamPolicy.Aging aging) {
        return new TeamPolicy(Duration.ofSeconds(30), 5, new ModeHysteresis(3, 1), rules, aging, Duration.ofMinutes(10), 0, 0,
                List.of(), null, false);
    }

    static Policy policy(TeamPolicy defaults) {
        return new Policy(1, new PolicyDocument("test", null, null, null, null, null, null), defaults, Map.of(), List.of(), DuplicateRule.DEFAULT);
    }

    static ScenarioLead lead(String id, Instant arrival, String team, Integer crmScore) {
        return new ScenarioLead(id, arrival, team, Map.of("externalId", id, "team", team), crmScore, Map.of());
    }
}
