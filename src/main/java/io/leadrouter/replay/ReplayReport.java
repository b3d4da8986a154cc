package io.leadrouter.replay;

import java.util.List;
import java.util.Map;

import io.leadrouter.routing.ShadowComparison;

/**
 * What a replay found. Durations are in seconds; every map is in a stable order.
 *
 * @param outcome where every lead ended: the counts add up to {@code leads}
 * @param heldByReason leads put in the holding pool, by reason, counting each time a lead was held
 * @param heldAfterEscalation holds of leads already escalated once (they stay held)
 * @param takenBack assigned leads taken back by the untended SLA
 * @param violations hard constraints broken by assignments, by kind; must be empty
 * @param shadow every decision of the day also computed under a shadow policy and compared; null without {@code --shadow}
 */
public record ReplayReport(String scenario, String policy, long seed, int leads, Outcome outcome, List<RepRow> reps,
        List<TeamRow> teams, List<TierRow> valueByTier, Waiting waiting, Offers offers, Map<String, Integer> heldByReason,
        int escalated, int heldAfterEscalation, int takenBack, Map<String, Integer> violations, Shadow shadow) {

    /** The shadow policy by name and the comparison of its decisions with the replayed ones. */
    public record Shadow(String policy, ShadowComparison.Report comparison) {
    }

    /** Lead states at the end of the day; {@code assigned} includes the closed ones. */
    public record Outcome(int assigned, int closed, int queued, int offered, int held) {

        public int total() {
            return assigned + queued + offered + held;
        }
    }

    /** One rep: assignments (every accepted offer) against its weighted share of the team's. */
    public record RepRow(String rep, String team, Integer tier, double weight, long assigned, double expected, Double ratio,
            double value) {
    }

    /** One team's fairness, from {@code Fairness.measure}: max/min of assignments per weight, and Gini. */
    public record TeamRow(String team, int reps, long assigned, double value, Double maxMinRatio, double gini) {
    }

    /** Assignments and their value by the tier of the rep who got them. */
    public record TierRow(String tier, long assigned, double value) {
    }

    /** Arrival to first assignment, over the leads assigned at least once; null when none was. */
    public record Waiting(int leads, Long p50, Long p90, Long p99, Long max) {
    }

    public record Offers(int made, int accepted, int declined, int lapsed) {
    }

    public int violationCount() {
        return violations.values().stream().mapToInt(Integer::intValue).sum();
    }
}
