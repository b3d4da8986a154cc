package io.leadrouter.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One entry of a lead's decision trace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(long id, int attempt, Decision.Kind kind, Mode mode, String chosenRepId, UUID offerId,
        int policyVersion, List<Criterion> relaxed, String reason, Instant createdAt, List<CandidateTrace> candidates) {

    static DecisionView of(Decision decision) {
        return new DecisionView(decision.id, decision.attempt, decision.kind, decision.mode, decision.chosenRepId,
                decision.offerId, decision.policyVersion,
                decision.trace.relaxed() == null ? List.of() : decision.trace.relaxed(), decision.trace.reason(),
                decision.createdAt, decision.trace.candidates() == null ? List.of() : decision.trace.candidates());
    }
}
