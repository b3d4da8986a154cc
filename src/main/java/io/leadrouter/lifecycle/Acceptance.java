package io.leadrouter.lifecycle;

import java.time.Duration;

import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadView;
import io.leadrouter.offer.Offer;

/**
 * An accepted offer's lead, now assigned to the rep.
 *
 * @param repeated the offer had been accepted before (a second tab): nothing changed this time
 * @param offerOpenFor from the offer being made to its acceptance, by the database clock
 */
public record Acceptance(LeadView lead, boolean repeated, Duration offerOpenFor) {

    static Acceptance of(Offer offer, Lead lead, boolean repeated) {
        return new Acceptance(LeadView.of(lead), repeated, Duration.between(offer.createdAt, offer.resolvedAt));
    }
}
