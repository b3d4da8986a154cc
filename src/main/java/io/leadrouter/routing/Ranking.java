package io.leadrouter.routing;

import java.util.List;

/**
 * The outcome of routing one lead: every candidate with its trace, and the eligible ones best first.
 *
 * @param anyFreeCapacity whether some rep of the team could take any lead at all right now
 */
public record Ranking(List<CandidateTrace> candidates, List<String> ranked, boolean anyFreeCapacity) {
}
