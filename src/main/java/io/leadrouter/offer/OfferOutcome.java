package io.leadrouter.offer;

import io.leadrouter.lead.LeadView;

/**
 * What an attempt to offer one lead came to.
 *
 * @param teamFull no rep of the lead's team could take any lead now: draining the team can stop
 */
public record OfferOutcome(Offer offer, LeadView lead, boolean teamFull) {

    static final OfferOutcome NOT_QUEUED = new OfferOutcome(null, null, false);

    static OfferOutcome noMatch(boolean teamFull) {
        return new OfferOutcome(null, null, teamFull);
    }

    public boolean offered() {
        return offer != null;
    }
}
