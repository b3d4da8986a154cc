package io.leadrouter.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One entry of a lead's decision trace; {@code manual} only for a MANUAL decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(long id, int attempt, DecisionKind kind, Mode mode, String chosenRepId, UUID offerId,
        int policyVersion, List<Criterion> relaxed, String reason, Instant createdAt, List<CandidateTrace> candidates,
        ManualAssignment manual) {
}
