package io.leadrouter.routing;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a lead was offered to its rep, as the agent client shows it: the rep's score and its
 * components, the criteria relaxed to find anyone, how many reps were eligible, which ranking step
 * decided ({@link Ranking#decidedBy}) and, when it did, that the rep owns the lead's account.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutedBecause(Double score, Map<String, Double> components, List<Criterion> relaxed, int eligible,
        int candidates, String decidedBy, Boolean accountOwner) {

    /** The chosen rep's side of a decision trace; null when the rep is not in it. */
    public static RoutedBecause of(DecisionTrace trace, String repId) {
        if (trace == null || trace.candidates() == null) {
            return null;
        }
        CandidateTrace chosen = trace.candidates().stream().filter(c -> c.repId().equals(repId)).findFirst().orElse(null);
        if (chosen == null) {
            return null;
        }
        int eligible = (int) trace.candidates().stream().filter(CandidateTrace::eligible).count();
        boolean owner = trace.affinity() != null && trace.affinity().ownerEligible() && trace.affinity().ownerRepId().equals(repId);
        return new RoutedBecause(chosen.score(), chosen.components(), trace.relaxed() == null ? List.of() : trace.relaxed(),
                eligible, trace.candidates().size(), trace.decidedBy(), owner ? Boolean.TRUE : null);
    }
}
