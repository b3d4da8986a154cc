package io.leadrouter.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One entry of a lead's decision trace. */
public record DecisionView(long id, int attempt, Decision.Kind kind, Mode mode, String chosenRepId, UUID offerId,
        Instant createdAt, List<CandidateTrace> candidates) {

    static DecisionView of(Decision decision) {
        return new DecisionView(decision.id, decision.attempt, decision.kind, decision.mode, decision.chosenRepId,
                decision.offerId, decision.createdAt, decision.trace.candidates());
    }
}
