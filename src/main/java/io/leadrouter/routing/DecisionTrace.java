package io.leadrouter.routing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON of a decision: every candidate with its exclusion or score.
 *
 * @param relaxed criteria relaxed for the lead when it was decided (fallback chain, escalation)
 * @param reason why the lead was held or taken back, for those kinds
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DecisionTrace(List<CandidateTrace> candidates, List<Criterion> relaxed, String reason) {
}
