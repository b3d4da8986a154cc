package io.leadrouter.policy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.ModeHysteresis;
import io.leadrouter.routing.Resolution;
import io.leadrouter.routing.RoutingRules;

/**
 * The effective settings of one team: the policy's defaults with the team's overrides applied.
 *
 * @param aging null when priorities do not age
 * @param escalateHeldAfter how long a lead waits in the holding pool before it escalates
 * @param escalateAfterAttempts lapsed or declined offers after which a lead escalates; 0: never
 * @param untendedAfter an assigned lead not closed within this is taken back; null: never
 * @param fairnessWeekly the fairness period is the ISO week (else the day), in UTC
 * @param affinity which earlier leads' owners a lead goes to first
 */
public record TeamPolicy(Duration offerTimeout, int maxAttempts, ModeHysteresis mode, RoutingRules routing,
        Aging aging, Duration escalateHeldAfter, int escalateAfterAttempts, int escalationPriorityBoost,
        List<Criterion> escalationRelax, Duration untendedAfter, boolean fairnessWeekly, AffinityRule affinity) {

    /** Settings with the default owner affinity. */
    public TeamPolicy(Duration offerTimeout, int maxAttempts, ModeHysteresis mode, RoutingRules routing, Aging aging,
            Duration escalateHeldAfter, int escalateAfterAttempts, int escalationPriorityBoost, List<Criterion> escalationRelax,
            Duration untendedAfter, boolean fairnessWeekly) {
        this(offerTimeout, maxAttempts, mode, routing, aging, escalateHeldAfter, escalateAfterAttempts, escalationPriorityBoost,
                escalationRelax, untendedAfter, fairnessWeekly, AffinityRule.DEFAULT);
    }

    /**
     * The settings in force before any policy is written: the given deployment settings, and the
     * documented defaults for the rest (aging 1 priority point per 5 minutes up to 5, escalation
     * of held leads after 10 minutes, no escalation after attempts, no untended SLA, daily fairness).
     */
    public static TeamPolicy builtIn(Duration offerTimeout, int maxAttempts, ModeHysteresis mode) {
        return new TeamPolicy(offerTimeout, maxAttempts, mode, RoutingRules.DEFAULT, new Aging(Duration.ofMinutes(5), 1, 5),
                Duration.ofMinutes(10), 0, 0, List.of(), null, false);
    }

    /** The same settings with other routing rules. */
    public TeamPolicy withRouting(RoutingRules rules) {
        return new TeamPolicy(offerTimeout, maxAttempts, mode, rules, aging, escalateHeldAfter, escalateAfterAttempts,
                escalationPriorityBoost, escalationRelax, untendedAfter, fairnessWeekly);
    }

    /**
     * The settings set-based SQL reads per team to find the leads that are due (holding, SLA, aging), by
     * name; durations in seconds, absent when off.
     */
    public Map<String, Object> sqlSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("escalateHeldAfter", seconds(escalateHeldAfter));
        settings.put("untendedAfter", untendedAfter == null ? null : seconds(untendedAfter));
        if (aging != null) {
            settings.put("agingEvery", seconds(aging.every()));
            settings.put("agingStep", aging.step());
            settings.put("agingMax", aging.max());
        }
        return settings;
    }

    /** The settings {@link Resolution} decides by. */
    public Resolution.Rules resolutionRules() {
        return new Resolution.Rules(maxAttempts, escalateAfterAttempts, escalationPriorityBoost, Set.copyOf(escalationRelax),
                Set.copyOf(heldRelax()));
    }

    /** What a lead escalated out of the holding pool has relaxed: the whole fallback chain and the escalation's criteria. */
    public Set<Criterion> heldRelax() {
        Set<Criterion> relax = new LinkedHashSet<>(routing.fallback());
        relax.addAll(escalationRelax);
        return relax;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Priority rises by {@code step} for every {@code every} a lead waits, by at most {@code max}. */
    public record Aging(Duration every, int step, int max) {

        /** The priority of a lead with {@code base} priority that has waited {@code waited}. */
        public int priority(int base, Duration waited) {
            long steps = waited.isNegative() ? 0 : waited.toMillis() / every.toMillis();
            return (int) Math.min(Policy.MAX_PRIORITY, base + Math.min(max, steps * step));
        }
    }
}
