package io.leadrouter.policy;

import java.time.Duration;
import java.util.List;

import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.ModeHysteresis;
import io.leadrouter.routing.RoutingRules;

/**
 * The effective settings of one team: the policy's defaults with the team's overrides applied.
 *
 * @param aging null when priorities do not age
 * @param escalateHeldAfter how long a lead waits in the holding pool before it escalates
 * @param escalateAfterAttempts lapsed or declined offers after which a lead escalates; 0: never
 * @param untendedAfter an assigned lead not closed within this is taken back; null: never
 * @param fairnessWeekly the fairness period is the ISO week (else the day), in UTC
 */
public record TeamPolicy(Duration offerTimeout, int maxAttempts, ModeHysteresis mode, RoutingRules routing,
        Aging aging, Duration escalateHeldAfter, int escalateAfterAttempts, int escalationPriorityBoost,
        List<Criterion> escalationRelax, Duration untendedAfter, boolean fairnessWeekly) {

    /** Priority rises by {@code step} for every {@code every} a lead waits, by at most {@code max}. */
    public record Aging(Duration every, int step, int max) {

        /** The priority of a lead with {@code base} priority that has waited {@code waited}. */
        public int priority(int base, Duration waited) {
            long steps = waited.isNegative() ? 0 : waited.toMillis() / every.toMillis();
            return (int) Math.min(Policy.MAX_PRIORITY, base + Math.min(max, steps * step));
        }
    }
}
