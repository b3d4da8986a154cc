package io.leadrouter.offer;

import java.util.UUID;

import io.leadrouter.lead.LeadStatus;
import io.leadrouter.presence.Presence;

/**
 * An offer that was declined, expired or cancelled, and where its lead went.
 *
 * @param repPresence the rep's presence after the resolution (AWAY after a missed offer)
 */
public record OfferResolution(UUID offerId, String repId, UUID leadId, String team, LeadStatus leadStatus,
        Presence repPresence) {
}
