package io.leadrouter.routing;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A MANUAL decision's account of itself: a manager gave the lead to a named rep.
 *
 * @param by the name of the credential that assigned it (the key's name; for a console session, its key's)
 * @param byId that credential's id ({@code env-1}, an api_key id, a console session id)
 * @param forced whether the rep's routing constraints were skipped
 * @param skipped when forced, the constraint the rep failed and was assigned despite; null when it met them all
 * @param previousOwnerRepId who owned the lead before (a reassignment), null otherwise
 * @param cancelledOfferRepId whose open offer of the lead was cancelled for it, null when none was open
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManualAssignment(String by, String byId, String reason, boolean forced, CandidateTrace skipped,
        String previousOwnerRepId, String cancelledOfferRepId) {
}
