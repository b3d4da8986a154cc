package io.leadrouter.policy;

import java.util.List;
import java.util.Map;

/** A compiled rule: when the condition holds for a lead, its effects apply. */
public record LeadRule(String name, Condition when, Integer priority, int priorityBoost, int scoreBoost, Integer loadPoints,
        List<Integer> tiers, Map<String, Integer> requiredSkills, String team) {
}
