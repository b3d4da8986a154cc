package io.leadrouter.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.leadrouter.policy.Policy;
import io.leadrouter.routing.CandidateTrace;
import io.leadrouter.routing.LeadFacts;
import io.leadrouter.routing.Ranking;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.RoutingEngine;

/**
 * Reps that are equally eligible for a day's leads: of one team, with one weight, and for every lead of the day either
 * excluded alike or eligible with the same fit (fresh: available, no load). Exact fairness holds among these; between
 * groups the stronger factors (skills, tiers, value-to-tier fit) decide.
 */
final class EqualFitGroups {

    private EqualFitGroups() {
    }

    static List<List<String>> of(Scenario day, Policy policy) {
        RoutingEngine engine = new RoutingEngine();
        List<LeadFacts> leads = day.leads().stream().map(source -> {
            Policy.LeadScore score = policy.score(source.fields(), source.crmScore(), source.requiredSkills());
            return new LeadFacts(source.id(), source.team(), score.loadPoints(), score.requiredSkills(), source.text("language"),
                    source.text("country"), source.text("region"), source.text("postalCode"), source.value(),
                    Set.copyOf(score.tiers()), Set.of(), Set.of(), Set.of());
        }).toList();
        Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
        for (SimulatedRep simulated : day.reps()) {
            RepFacts rep = simulated.facts();
            List<Object> signature = new ArrayList<>(List.of(rep.team(), rep.weight()));
            for (LeadFacts lead : leads) {
                if (!lead.team().equals(rep.team())) {
                    continue;
                }
                Ranking alone = engine.rank(lead, List.of(rep), policy.forTeam(lead.team()).routing(), day.dayStart());
                CandidateTrace trace = alone.candidates().get(0);
                signature.add(trace.eligible() ? trace.fit() : trace.exclusion());
            }
            groups.computeIfAbsent(signature, s -> new ArrayList<>()).add(rep.id());
        }
        return List.copyOf(groups.values());
    }
}
