package io.leadrouter.routing;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.leadrouter.presence.Presence;

/** What routing needs to know of a rep at the moment of the decision. */
public record RepFacts(String id, String team, boolean active, Presence presence, boolean connected, int maxLoad,
        int activeLoad, Map<String, Integer> skills, Set<String> languages, Set<String> territories,
        Instant lastAssignedAt) {
}
