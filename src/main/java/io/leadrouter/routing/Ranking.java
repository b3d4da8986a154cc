package io.leadrouter.routing;

import java.util.List;

/**
 * The outcome of routing one lead: every candidate with its trace, and the eligible ones best first.
 *
 * @param anyFreeCapacity whether some rep of the team could take any lead at all right now
 * @param relaxed criteria relaxed for this lead when the ranking was made (earlier ones included)
 * @param nobodyQualifies the team has active reps but every one of them is excluded for a lasting
 *     reason even after the fallback chain: waiting cannot help, the lead belongs in the holding pool
 */
public record Ranking(List<CandidateTrace> candidates, List<String> ranked, boolean anyFreeCapacity,
        List<Criterion> relaxed, boolean nobodyQualifies) {
}
