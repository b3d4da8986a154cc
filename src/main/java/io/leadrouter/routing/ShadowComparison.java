package io.leadrouter.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Live decisions against the decisions a shadow policy would have made for the same leads and reps: agreement, the
 * fairness of each side, value per tier and who would have got what. The service's shadow report and the replay's
 * {@code --shadow} both compute it here, from decisions grouped by who each side chose ({@link Pairing}s).
 */
public final class ShadowComparison {

    /** The tier label of decisions that chose nobody (held, or no rep free). */
    public static final String NOBODY = "none";

    private ShadowComparison() {
    }

    /**
     * Decisions of one team in which live chose {@code liveRepId} and the shadow {@code shadowRepId} (null: nobody),
     * the chosen reps' tiers, and the leads' summed value.
     */
    public record Pairing(String team, String liveRepId, Integer liveTier, String shadowRepId, Integer shadowTier,
            long decisions, double value) {

        public boolean agreed() {
            return Objects.equals(liveRepId, shadowRepId);
        }
    }

    /** One rep of the roster with its fairness weight. */
    public record RosterRep(String team, String repId, double weight) {
    }

    /** A decision the two sides disagree on. */
    public record Disagreement(UUID leadId, String team, String liveRepId, String shadowRepId) {
    }

    /** One side's spread over the team's reps, from {@link Fairness#measure}. */
    public record Side(long assigned, double value, Double maxMinRatio, double gini) {
    }

    /** One team: decisions compared, agreement and each side's fairness. */
    public record TeamComparison(String team, long decisions, long agreed, Double agreementRate, Side live, Side shadow) {
    }

    /** Decisions and the sum of lead value that went, or would have gone, to reps of a tier ({@code none}: to nobody). */
    public record TierValue(String tier, long liveDecisions, double liveValue, long shadowDecisions, double shadowValue) {
    }

    /** One rep: decisions it got live and would have got under the shadow. */
    public record RepComparison(String repId, String team, double weight, long live, long shadow, double liveValue,
            double shadowValue) {
    }

    /**
     * @param agreementRate agreed over compared decisions; null when none was compared
     * @param disagreements a bounded sample, the caller's
     */
    public record Report(long decisions, long agreed, Double agreementRate, List<TeamComparison> teams,
            List<TierValue> valueByTier, List<RepComparison> reps, List<Disagreement> disagreements) {
    }

    /**
     * Compares the pairings over the roster: every rep of the roster counts in its team's fairness, a rep that got
     * nothing too; a chosen rep missing from the roster (deactivated since) counts with weight 1.
     */
    public static Report compare(Collection<Pairing> pairings, Collection<RosterRep> roster, List<Disagreement> disagreements) {
        Map<String, Map<String, RepTally>> teams = new TreeMap<>();
        roster.forEach(rep -> teams.computeIfAbsent(rep.team(), t -> new TreeMap<>()).put(rep.repId(), new RepTally(rep.weight())));
        Map<String, long[]> agreement = new TreeMap<>();
        Map<String, TierTally> tiers = new TreeMap<>();
        long decisions = 0;
        long agreed = 0;
        for (Pairing pairing : pairings) {
            decisions += pairing.decisions();
            long[] team = agreement.computeIfAbsent(pairing.team(), t -> new long[2]);
            team[0] += pairing.decisions();
            if (pairing.agreed()) {
                agreed += pairing.decisions();
                team[1] += pairing.decisions();
            }
            Map<String, RepTally> reps = teams.computeIfAbsent(pairing.team(), t -> new TreeMap<>());
            if (pairing.liveRepId() != null) {
                RepTally rep = reps.computeIfAbsent(pairing.liveRepId(), r -> new RepTally(1));
                rep.live += pairing.decisions();
                rep.liveValue += pairing.value();
            }
            if (pairing.shadowRepId() != null) {
                RepTally rep = reps.computeIfAbsent(pairing.shadowRepId(), r -> new RepTally(1));
                rep.shadow += pairing.decisions();
                rep.shadowValue += pairing.value();
            }
            TierTally live = tiers.computeIfAbsent(tier(pairing.liveRepId(), pairing.liveTier()), t -> new TierTally());
            live.live += pairing.decisions();
            live.liveValue += pairing.value();
            TierTally shadow = tiers.computeIfAbsent(tier(pairing.shadowRepId(), pairing.shadowTier()), t -> new TierTally());
            shadow.shadow += pairing.decisions();
            shadow.shadowValue += pairing.value();
        }
        List<TeamComparison> teamRows = new ArrayList<>();
        List<RepComparison> repRows = new ArrayList<>();
        agreement.forEach((team, counts) -> {
            Map<String, RepTally> reps = teams.getOrDefault(team, Map.of());
            Side live = side(reps, true);
            Side shadow = side(reps, false);
            teamRows.add(new TeamComparison(team, counts[0], counts[1], rate(counts[1], counts[0]), live, shadow));
            reps.forEach((id, rep) -> repRows.add(new RepComparison(id, team, rep.weight, rep.live, rep.shadow, round(rep.liveValue),
                    round(rep.shadowValue))));
        });
        List<TierValue> tierRows = new ArrayList<>();
        tiers.forEach((tier, tally) -> tierRows.add(new TierValue(tier, tally.live, round(tally.liveValue), tally.shadow,
                round(tally.shadowValue))));
        return new Report(decisions, agreed, rate(agreed, decisions), teamRows, tierRows, repRows, List.copyOf(disagreements));
    }

    /** Groups decisions one at a time (the replay), keeping the first {@code sample} disagreements. */
    /**
     * The reps as the shadow sees them: each fairness count moved by how many more (or fewer) leads of the team the
     * shadow would have given the rep than live routing did in the period (never below none). The shadow's fairness so
     * runs on its own choices, and a shadow equal to the live policy ranks exactly as live.
     */
    public static List<RepFacts> asShadowSees(List<RepFacts> reps, Map<String, Long> difference) {
        return difference.isEmpty() ? reps : reps.stream().map(rep -> rep.withState(rep.presence(), rep.activeLoad(), rep.usage(),
                rep.lastAssignedAt(), Math.max(0, rep.assignedInFairnessPeriod() + difference.getOrDefault(rep.id(), 0L)))).toList();
    }

    public static final class Tally {

        private record Key(String team, String liveRepId, Integer liveTier, String shadowRepId, Integer shadowTier) {
        }

        private final Map<Key, double[]> pairings = new LinkedHashMap<>();
        private final List<Disagreement> disagreements = new ArrayList<>();
        private final int sample;

        public Tally(int sample) {
            this.sample = sample;
        }

        public void add(UUID leadId, String team, String liveRepId, Integer liveTier, String shadowRepId, Integer shadowTier,
                Double value) {
            double[] sums = pairings.computeIfAbsent(new Key(team, liveRepId, liveTier, shadowRepId, shadowTier), k -> new double[2]);
            sums[0]++;
            sums[1] += value == null ? 0 : value;
            if (!Objects.equals(liveRepId, shadowRepId) && disagreements.size() < sample) {
                disagreements.add(new Disagreement(leadId, team, liveRepId, shadowRepId));
            }
        }

        public Report report(Collection<RosterRep> roster) {
            List<Pairing> grouped = new ArrayList<>(pairings.size());
            pairings.forEach((key, sums) -> grouped.add(new Pairing(key.team(), key.liveRepId(), key.liveTier(), key.shadowRepId(),
                    key.shadowTier(), (long) sums[0], sums[1])));
            return compare(grouped, roster, disagreements);
        }
    }

    private static final class RepTally {
        final double weight;
        long live;
        long shadow;
        double liveValue;
        double shadowValue;

        RepTally(double weight) {
            this.weight = weight;
        }
    }

    private static final class TierTally {
        long live;
        long shadow;
        double liveValue;
        double shadowValue;
    }

    private static Side side(Map<String, RepTally> reps, boolean live) {
        Fairness.Report report = Fairness.measure(reps.entrySet().stream().map(e -> new Fairness.Share(e.getKey(), e.getValue().weight,
                live ? e.getValue().live : e.getValue().shadow, live ? e.getValue().liveValue : e.getValue().shadowValue)).toList());
        return new Side(report.assigned(), report.value(), report.maxMinRatio(), report.gini());
    }

    /** The tier a chosen rep's decisions count under: {@code tier 1}, {@code unset}, or {@code none} for nobody. */
    static String tier(String repId, Integer tier) {
        return repId == null ? NOBODY : tier == null ? "unset" : "tier " + tier;
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : round((double) part / whole);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
