package io.leadrouter.routing;

import java.util.List;

/**
 * The outcome of routing one lead: every candidate with its trace, and the eligible ones best first.
 *
 * @param anyFreeCapacity whether some rep of the team could take any lead at all right now
 * @param relaxed criteria relaxed for this lead when the ranking was made (earlier ones included)
 * @param nobodyQualifies the team has active reps but every one of them is excluded for a lasting
 *     reason even after the fallback chain: waiting cannot help, the lead belongs in the holding pool
 * @param decidedBy which step put the first-ranked rep ahead of the second: {@code affinity}, {@code fit},
 *     {@code fairness}, {@code idle}, {@code headroom}, {@code tieBreak}, or {@code onlyEligible}; null when nobody is
 *     eligible
 * @param affinity the account match and the owner's standing; null when the lead matched no earlier lead
 */
public record Ranking(List<CandidateTrace> candidates, List<String> ranked, boolean anyFreeCapacity,
        List<Criterion> relaxed, boolean nobodyQualifies, String decidedBy, AffinityTrace affinity) {

    public Ranking(List<CandidateTrace> candidates, List<String> ranked, boolean anyFreeCapacity, List<Criterion> relaxed,
            boolean nobodyQualifies) {
        this(candidates, ranked, anyFreeCapacity, relaxed, nobodyQualifies, null, null);
    }

    /** The decision's trace: every candidate, the relaxed criteria, what decided and the account match. */
    public DecisionTrace trace() {
        return new DecisionTrace(candidates, relaxed, null, decidedBy, affinity, null);
    }
}
