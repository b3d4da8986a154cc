package io.leadrouter.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a lead's decision trace.
 *
 * @param decidedBy which ranking step put the first-ranked rep first ({@link Ranking#decidedBy})
 * @param affinity the account match and the owner's standing, when the lead matched an earlier lead
 * @param manual who assigned the lead, why and whether forced: only for a MANUAL decision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(long id, int attempt, DecisionKind kind, Mode mode, String chosenRepId, UUID offerId,
        int policyVersion, List<Criterion> relaxed, String reason, Instant createdAt, List<CandidateTrace> candidates,
        String decidedBy, AffinityTrace affinity, ManualAssignment manual) {
}
