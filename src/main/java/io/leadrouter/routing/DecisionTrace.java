package io.leadrouter.routing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON of a decision: every candidate with its exclusion or score.
 *
 * @param relaxed criteria relaxed for the lead when it was decided (fallback chain, escalation)
 * @param reason why the lead was held or taken back, for those kinds; for MANUAL the manager's reason
 * @param decidedBy which ranking step put the first-ranked rep first ({@link Ranking#decidedBy})
 * @param affinity the account match and the owner's standing, when the lead matched an earlier lead
 * @param manual who assigned a MANUAL decision's lead, why, and whether forced; null for every other kind
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DecisionTrace(List<CandidateTrace> candidates, List<Criterion> relaxed, String reason, String decidedBy,
        AffinityTrace affinity, ManualAssignment manual) {

    /** A decision routing made without a ranking step or an account match to tell. */
    public DecisionTrace(List<CandidateTrace> candidates, List<Criterion> relaxed, String reason) {
        this(candidates, relaxed, reason, null, null, null);
    }

    /** The same trace with the reason a lead was held or left waiting. */
    public DecisionTrace withReason(String why) {
        return new DecisionTrace(candidates, relaxed, why, decidedBy, affinity, manual);
    }
}
