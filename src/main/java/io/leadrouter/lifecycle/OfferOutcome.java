package io.leadrouter.lifecycle;

import io.leadrouter.lead.LeadView;
import io.leadrouter.offer.Offer;
import io.leadrouter.routing.RoutedBecause;

/**
 * What an attempt to offer one lead came to.
 *
 * @param teamFull no rep of the lead's team could take any lead now: draining the team can stop
 * @param why the chosen rep's side of the decision, for the offer frame
 */
public record OfferOutcome(Offer offer, LeadView lead, boolean teamFull, RoutedBecause why) {

    static final OfferOutcome NOT_QUEUED = new OfferOutcome(null, null, false, null);

    static OfferOutcome noMatch(boolean teamFull) {
        return new OfferOutcome(null, null, teamFull, null);
    }

    public boolean offered() {
        return offer != null;
    }
}
