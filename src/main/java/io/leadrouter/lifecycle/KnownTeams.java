package io.leadrouter.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.Sql;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyService;
import io.smallrye.mutiny.Uni;

/**
 * The teams a lead may name: those of reps, those the policy names, and the deployment's default team; a CRM cannot
 * invent one (unless the policy allows it). Teams seen with reps are remembered, so intake asks the database only
 * about a team it has not met.
 */
@ApplicationScoped
public class KnownTeams {

    /* every team of a rep counts, its first or a later one; teams && finds the reps by the GIN index on teams */
    private static final String WITH_REPS = """
            SELECT DISTINCT t FROM rep, unnest(teams) t
            WHERE teams && string_to_array(:teams, ',') AND t = ANY (string_to_array(:teams, ','))""";
    private static final String OF_REPS = "SELECT DISTINCT unnest(teams) FROM rep";
    private static final String WITH_ACTIVE_REPS = """
            SELECT DISTINCT t FROM rep, unnest(teams) t
            WHERE active AND teams && string_to_array(:teams, ',') AND t = ANY (string_to_array(:teams, ','))""";
    /** How long a team seen with an active rep is taken to still have one, before intake asks again. */
    static final Duration STAFFED_FOR = Duration.ofSeconds(5);

    /** Teams that had a rep when last asked; a team whose every rep was deleted stays known until restart. */
    private final Set<String> withReps = ConcurrentHashMap.newKeySet();
    /** Teams seen with an active rep, until when that is believed. */
    private final Map<String, Instant> staffedUntil = new ConcurrentHashMap<>();
    private final LeadRouterConfig config;
    private final PolicyService policies;

    public KnownTeams(LeadRouterConfig config, PolicyService policies) {
        this.config = config;
        this.policies = policies;
    }

    /** Every known team: those of reps (active or not), those the policy in force names, and the default team; in the current session. */
    public Uni<Set<String>> all() {
        return policies.current().chain(policy -> Sql.list(OF_REPS, String.class, Map.of()).map(reps -> {
            Set<String> known = new HashSet<>(reps);
            known.addAll(policy.namedTeams());
            known.add(config.defaultTeam());
            return known;
        }));
    }

    /** Those of {@code teams} that nobody knows, in the current session. */
    Uni<Set<String>> unknown(Set<String> teams, Policy policy) {
        if (policy.allowsNewTeams(config.allowNewTeams())) {
            return Uni.createFrom().item(Set.of());
        }
        Set<String> open = new HashSet<>(teams);
        open.remove(config.defaultTeam());
        open.removeAll(policy.namedTeams());
        open.removeAll(withReps);
        if (open.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        // team names are letters, digits, . _ - (checked at intake), so a comma separates them safely
        return Sql.list(WITH_REPS, String.class, Map.of("teams", String.join(",", open))).map(found -> {
            withReps.addAll(found);
            found.forEach(open::remove);
            return open;
        });
    }

    /** Whether every one of {@code teams} was seen with an active rep lately, so that {@link #unstaffed} would not ask. */
    boolean staffedLately(Set<String> teams) {
        Instant now = Instant.now();
        return teams.stream().allMatch(team -> seenStaffed(team, now));
    }

    private boolean seenStaffed(String team, Instant now) {
        Instant until = staffedUntil.get(team);
        return until != null && !until.isBefore(now);
    }

    /** Those of {@code teams} without an active rep, in the current session; teams seen staffed lately are not asked. */
    Uni<Set<String>> unstaffed(Set<String> teams) {
        Instant now = Instant.now();
        Set<String> open = new HashSet<>();
        teams.forEach(team -> {
            if (!seenStaffed(team, now)) {
                open.add(team);
            }
        });
        if (open.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Sql.list(WITH_ACTIVE_REPS, String.class, Map.of("teams", String.join(",", open))).map(staffed -> {
            staffed.forEach(team -> staffedUntil.put(team, now.plus(STAFFED_FOR)));
            staffed.forEach(open::remove);
            return open;
        });
    }
}
