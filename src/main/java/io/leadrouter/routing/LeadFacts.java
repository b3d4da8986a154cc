package io.leadrouter.routing;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What routing needs to know of a lead. */
public record LeadFacts(UUID id, String team, int loadPoints, Map<String, Integer> requiredSkills, String language,
        String country, String region, Set<String> declinedBy, Set<String> missedBy) {
}
