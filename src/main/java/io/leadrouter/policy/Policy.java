package io.leadrouter.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A compiled, validated policy version: what routing and intake apply. Version 0 is the built-in
 * policy in force before anyone writes one.
 */
public record Policy(int version, PolicyDocument document, TeamPolicy defaults, Map<String, TeamPolicy> teams,
        List<LeadRule> rules, DuplicateRule duplicates) {

    /** What the rules made of a lead at intake. */
    public record LeadScore(Integer score, int priority, int loadPoints, Set<Integer> tiers,
            Map<String, Integer> requiredSkills, List<String> matchedRules) {
    }

    static final int MAX_PRIORITY = 100;

    public TeamPolicy forTeam(String team) {
        return teams.getOrDefault(team, defaults);
    }

    /**
     * The team a lead goes to: the one it names, else the first matching rule's, else the policy's default team, else
     * {@code fallback} (the deployment's default team).
     *
     * @param lead the lead's fields by contract name, as for {@link #score}
     */
    public String teamOf(Map<String, Object> lead, String named, String fallback) {
        if (named != null) {
            return named;
        }
        for (LeadRule rule : rules) {
            if (rule.team() != null && rule.when().test(lead)) {
                return rule.team();
            }
        }
        return document.defaultTeam() != null ? document.defaultTeam() : fallback;
    }

    /** The teams this policy names: its team settings, its rules' teams and its default team. */
    public Set<String> namedTeams() {
        Set<String> named = new HashSet<>(teams.keySet());
        rules.stream().map(LeadRule::team).filter(Objects::nonNull).forEach(named::add);
        if (document.defaultTeam() != null) {
            named.add(document.defaultTeam());
        }
        return named;
    }

    /** Whether a lead may name a team nobody knows, creating it; {@code otherwise} when the policy does not say. */
    public boolean allowsNewTeams(boolean otherwise) {
        return document.allowNewTeams() == null ? otherwise : document.allowNewTeams();
    }

    /** The shortest aging step of the defaults and every team, empty when no priority ages. */
    public Optional<Duration> shortestAgingStep() {
        return Stream.concat(Stream.of(defaults), teams.values().stream()).map(TeamPolicy::aging).filter(Objects::nonNull)
                .map(TeamPolicy.Aging::every).min(Comparator.naturalOrder());
    }

    /**
     * Every team's {@link TeamPolicy#sqlSettings()}, the defaults under {@code "*"} (not a valid
     * team name), for SQL to read with {@code coalesce(s -> team, s -> '*')}.
     */
    public Map<String, Map<String, Object>> sqlSettings() {
        Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
        settings.put("*", defaults.sqlSettings());
        teams.forEach((team, policy) -> settings.put(team, policy.sqlSettings()));
        return settings;
    }

    /**
     * Applies every matching rule to a lead: score (the CRM's, plus boosts), priority (1 + score/25
     * up to 5, 3 without a score; at least each rule's priority, plus boosts, within 0..100), load
     * points, tiers and skills.
     *
     * @param lead the lead's fields by contract name, {@code attributes} as a nested map
     */
    public LeadScore score(Map<String, Object> lead, Integer crmScore, Map<String, Integer> requiredSkills) {
        List<String> matched = new ArrayList<>();
        int scoreBoost = 0;
        int floor = 0;
        int boost = 0;
        int loadPoints = 1;
        Set<Integer> tiers = new LinkedHashSet<>();
        Map<String, Integer> skills = new HashMap<>(requiredSkills);
        for (LeadRule rule : rules) {
            if (!rule.when().test(lead)) {
                continue;
            }
            matched.add(rule.name());
            scoreBoost += rule.scoreBoost();
            boost += rule.priorityBoost();
            if (rule.priority() != null) {
                floor = Math.max(floor, rule.priority());
            }
            if (rule.loadPoints() != null) {
                loadPoints = Math.max(loadPoints, rule.loadPoints());
            }
            tiers.addAll(rule.tiers());
            rule.requiredSkills().forEach((skill, level) -> skills.merge(skill, level, Math::max));
        }
        Integer score = crmScore == null && scoreBoost == 0 ? null
                : Integer.valueOf(Math.max(0, Math.min(100, (crmScore == null ? 0 : crmScore) + scoreBoost)));
        int base = score == null ? 3 : Math.min(5, 1 + score / 25);
        int priority = Math.max(0, Math.min(MAX_PRIORITY, Math.max(base, floor) + boost));
        return new LeadScore(score, priority, loadPoints, tiers, skills, matched);
    }
}
