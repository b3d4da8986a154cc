package io.leadrouter.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.leadrouter.lead.LeadView;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.RoutedBecause;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Frames the server sends to agent clients, told apart by {@code type}. */
// written by our own ObjectMapper, not by a typed endpoint: native images need them (and what they hold) registered
@RegisterForReflection(targets = { ServerFrame.class, ServerFrame.Welcome.class, ServerFrame.OfferMade.class,
        ServerFrame.OfferWithdrawn.class, ServerFrame.Assigned.class, ServerFrame.LeadClosed.class, ServerFrame.LeadTakenBack.class,
        ServerFrame.Duplicate.class, ServerFrame.ModeChanged.class, ServerFrame.StatusChanged.class, ServerFrame.Paused.class, ServerFrame.QueueEmpty.class,
        ServerFrame.Error.class }, registerFullHierarchy = true)
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerFrame.Welcome.class, name = "welcome"),
        @JsonSubTypes.Type(value = ServerFrame.OfferMade.class, name = "offer"),
        @JsonSubTypes.Type(value = ServerFrame.OfferWithdrawn.class, name = "offer-withdrawn"),
        @JsonSubTypes.Type(value = ServerFrame.Assigned.class, name = "assigned"),
        @JsonSubTypes.Type(value = ServerFrame.LeadClosed.class, name = "closed"),
        @JsonSubTypes.Type(value = ServerFrame.LeadTakenBack.class, name = "lead-taken-back"),
        @JsonSubTypes.Type(value = ServerFrame.Duplicate.class, name = "duplicate"),
        @JsonSubTypes.Type(value = ServerFrame.ModeChanged.class, name = "mode"),
        @JsonSubTypes.Type(value = ServerFrame.StatusChanged.class, name = "status"),
        @JsonSubTypes.Type(value = ServerFrame.Paused.class, name = "paused"),
        @JsonSubTypes.Type(value = ServerFrame.QueueEmpty.class, name = "queue-empty"),
        @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error") })
public sealed interface ServerFrame {

    /**
     * The rep's state on connect. Extensions: {@code queueDepth} (the team's waiting leads, as in
     * {@code mode}) and {@code slaSeconds} (how long an assigned lead may stay unclosed before it is
     * taken back; absent when the team has no such SLA) and {@code paused} (the manager's reason while the rep is
     * paused; absent otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Welcome(String repId, Presence status, Mode mode, List<LeadView> activeLeads, List<OfferMade> pendingOffers,
            long queueDepth, Long slaSeconds, String paused) implements ServerFrame {
    }

    /** An offer; {@code why} (an extension) is the rep's side of the decision that made it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** An offer says who the lead is and why it came, not how to reach it: email and phone come with the assignment. */
    record OfferMade(UUID offerId, LeadView lead, Instant expiresAt, RoutedBecause why) implements ServerFrame {
        public OfferMade {
            lead = lead == null ? null : lead.withoutContactDetails();
        }
    }

    /** Why an offer was taken back: EXPIRED (deadline passed), TAKEN (assigned elsewhere) or CANCELLED. */
    record OfferWithdrawn(UUID offerId, String reason) implements ServerFrame {
    }

    record Assigned(LeadView lead) implements ServerFrame {
    }

    /** One of the rep's leads was closed (by the rep in another tab, or by the CRM). */
    record LeadClosed(LeadView lead) implements ServerFrame {
    }

    /** An assigned lead left the rep's hands: the policy's SLA passed without it being closed (UNTENDED), or a manager gave it to another rep (REASSIGNED). */
    record LeadTakenBack(UUID leadId, String reason) implements ServerFrame {
    }

    /**
     * The lead was sent in again while open (a duplicate by the policy's keys, {@code by}) and not routed again;
     * {@code duplicate} holds what the new payload said (externalId, source, name, email, phone, company).
     */
    record Duplicate(UUID leadId, List<String> by, Map<String, Object> duplicate) implements ServerFrame {
    }

    record ModeChanged(Mode mode, long queueDepth, String team) implements ServerFrame {
    }

    /** The server changed the rep's presence; {@code reason} says why (MISSED_OFFER, OTHER_TAB, ...). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusChanged(Presence status, String reason) implements ServerFrame {
    }

    /** A manager paused the rep (no offers, no pulls; its leads stay) or resumed it ({@code paused} false, no reason). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Paused(boolean paused, String reason, String by) implements ServerFrame {
    }

    record QueueEmpty() implements ServerFrame {
    }

    record Error(String code, String message) implements ServerFrame {
    }
}
