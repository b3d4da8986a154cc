package io.leadrouter.routing;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What routing needs to know of a lead.
 *
 * @param postalCode postal code, matched against postal-prefix territories ({@code US:941})
 * @param value deal value, for the value-to-tier fit; null when unknown
 * @param tiers the rep tiers a policy rule reserved this lead for; empty: any tier
 * @param relaxed criteria the fallback chain or an escalation has relaxed for this lead
 * @param affinity the earlier lead of the same account whose owner is offered this one first; null: none
 */
public record LeadFacts(UUID id, String team, int loadPoints, Map<String, Integer> requiredSkills, String language,
        String country, String region, String postalCode, Double value, Set<Integer> tiers, Set<String> declinedBy,
        Set<String> missedBy, Set<Criterion> relaxed, AffinityMatch affinity) {

    /** A lead without an account match. */
    public LeadFacts(UUID id, String team, int loadPoints, Map<String, Integer> requiredSkills, String language,
            String country, String region, String postalCode, Double value, Set<Integer> tiers, Set<String> declinedBy,
            Set<String> missedBy, Set<Criterion> relaxed) {
        this(id, team, loadPoints, requiredSkills, language, country, region, postalCode, value, tiers, declinedBy, missedBy,
                relaxed, null);
    }

    /** A lead of the team with no requirements, for tests and simulations to refine with the withers. */
    public static LeadFacts of(UUID id, String team) {
        return new LeadFacts(id, team, 1, Map.of(), null, null, null, null, null, Set.of(), Set.of(), Set.of(), Set.of());
    }

    public LeadFacts withRelaxed(Set<Criterion> criteria) {
        return new LeadFacts(id, team, loadPoints, requiredSkills, language, country, region, postalCode, value, tiers,
                declinedBy, missedBy, criteria, affinity);
    }

    public LeadFacts withAffinity(AffinityMatch match) {
        return new LeadFacts(id, team, loadPoints, requiredSkills, language, country, region, postalCode, value, tiers,
                declinedBy, missedBy, relaxed, match);
    }

    public boolean relaxes(Criterion criterion) {
        return relaxed.contains(criterion);
    }
}
