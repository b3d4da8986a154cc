package io.leadrouter.event;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What changed, by the name consumers read in the feed ({@code lead.assigned}). */
public enum EventType {
    LEAD_CREATED("lead.created"),
    LEAD_OFFERED("lead.offered"),
    LEAD_OFFER_EXPIRED("lead.offer_expired"),
    LEAD_DECLINED("lead.declined"),
    LEAD_ASSIGNED("lead.assigned"),
    /** Back in the queue: after a decline, a lapsed or cancelled offer, a take-back, or out of the holding pool. */
    LEAD_REQUEUED("lead.requeued"),
    LEAD_HELD("lead.held"),
    LEAD_ESCALATED("lead.escalated"),
    LEAD_TAKEN_BACK("lead.taken_back"),
    LEAD_CLOSED("lead.closed"),
    /** A queued lead nobody can be offered: its team has no active rep (a manager event, once per attempt). */
    LEAD_UNROUTED("lead.unrouted"),
    /** The CRM sent the record again, changed, while the lead was still queued: its fields were updated. */
    LEAD_UPDATED("lead.updated"),
    /** A lead was sent in while an open lead had its e-mail (or the policy's duplicate keys): it was not created. */
    LEAD_DUPLICATE("lead.duplicate"),
    /** Presence (AVAILABLE, BUSY, AWAY, OFFLINE) or activation changed. */
    REP_STATUS_CHANGED("rep.status_changed"),
    /** A rep was created or its document replaced (team, capacity, skills...). */
    REP_UPDATED("rep.updated"),
    /** Every token issued to the rep so far was revoked ({@code POST /reps/{id}/tokens/revoke}); its sockets close. */
    REP_TOKENS_REVOKED("rep.tokens_revoked"),
    /** A manager paused the rep: it is offered nothing and cannot pull until resumed; its assigned leads stay. */
    REP_PAUSED("rep.paused"),
    /** A manager resumed a paused rep. */
    REP_RESUMED("rep.resumed"),
    POLICY_PUBLISHED("policy.published"),
    /** A candidate policy was published as the shadow ({@code data.shadowVersion}); live routing is unchanged. */
    POLICY_SHADOW_PUBLISHED("policy.shadow_published"),
    /** The shadow was stopped ({@code DELETE /routing/policy/shadow}): decisions are no longer compared. */
    POLICY_SHADOW_STOPPED("policy.shadow_stopped"),
    /** A webhook endpoint was given up on after its last retry (a manager event). */
    WEBHOOK_DISABLED("webhook.disabled");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
