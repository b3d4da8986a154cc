package io.leadrouter.routing;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The account match of a decision and where the owner stood: eligible and ranked first, or the constraint that
 * excluded it (then routing went on as usual).
 *
 * @param ownerEligible whether the owner was eligible for this lead, and so ranked first
 * @param ownerExclusion why not: the constraint, or {@code NOT_IN_TEAM} when the owner is not an active rep of the
 *     lead's team
 * @param detail the exclusion in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AffinityTrace(String key, String value, UUID leadId, String ownerRepId, boolean ownerEligible,
        String ownerExclusion, String detail) {

    /** The standing of an owner who is not on the lead's team's roster at all. */
    public static final String NOT_IN_TEAM = "NOT_IN_TEAM";

    /** The standing of a lead's owner when another rep pulled the lead (pull is the rep's choice). */
    public static final String PULLED_BY_ANOTHER_REP = "PULLED_BY_ANOTHER_REP";

    /** A pulled lead's match: the owner pulled it, or another rep did; null without a match. */
    public static AffinityTrace pulled(AffinityMatch match, String puller) {
        if (match == null) {
            return null;
        }
        boolean own = match.ownerRepId().equals(puller);
        return new AffinityTrace(match.key(), match.value(), match.leadId(), match.ownerRepId(), own,
                own ? null : PULLED_BY_ANOTHER_REP, own ? "the owner pulled the lead" : "pulled by " + puller);
    }

    static AffinityTrace of(AffinityMatch match, CandidateTrace owner, String team) {
        if (owner == null) {
            return new AffinityTrace(match.key(), match.value(), match.leadId(), match.ownerRepId(), false, NOT_IN_TEAM,
                    "owner is not an active rep of team " + team);
        }
        return new AffinityTrace(match.key(), match.value(), match.leadId(), match.ownerRepId(), owner.eligible(),
                owner.eligible() ? null : owner.exclusion().name(), owner.detail());
    }
}
