package io.leadrouter.routing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON of a decision: every candidate with its exclusion or score.
 *
 * @param relaxed criteria relaxed for the lead when it was decided (fallback chain, escalation)
 * @param reason why the lead was held or taken back, for those kinds; for MANUAL the manager's reason
 * @param manual who assigned a MANUAL decision's lead, why, and whether forced; null for every other kind
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DecisionTrace(List<CandidateTrace> candidates, List<Criterion> relaxed, String reason, ManualAssignment manual) {

    /** A decision routing made (every kind but MANUAL). */
    public DecisionTrace(List<CandidateTrace> candidates, List<Criterion> relaxed, String reason) {
        this(candidates, relaxed, reason, null);
    }
}
