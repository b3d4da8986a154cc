package io.leadrouter.lifecycle;

import java.util.UUID;

import io.leadrouter.lead.LeadStatus;
import io.leadrouter.offer.OfferState;

/**
 * An offer that was declined, expired or cancelled, and where its lead went.
 *
 * @param state DECLINED, EXPIRED or CANCELLED
 * @param repWentAway the resolution set the rep AWAY (a missed offer with away-on-miss)
 */
public record OfferResolution(UUID offerId, OfferState state, String repId, UUID leadId, String team, LeadStatus leadStatus,
        boolean repWentAway) {
}
