package io.leadrouter.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyCompiler;
import io.leadrouter.policy.PolicyDocument;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.ModeHysteresis;
import io.leadrouter.routing.RepFacts;

/** Owner affinity in the replay: the e-mail domain within the window, free mail never. */
class OwnerAffinityReplayTest {

    private static final Instant DAY = Instant.parse("2024-01-08T00:00:00Z");

    @Test
    void aDomainWithinTheWindowGoesToItsOwnerAndFreeMailOrAnOlderLeadDoNot() throws Exception {
        Policy policy = new PolicyCompiler(TeamPolicy.builtIn(Duration.ofSeconds(30), 5, new ModeHysteresis(3, 1)))
                .compile(JsonMapper.builder().findAndAddModules().build().readValue(
                        "{\"teams\": {\"t\": {\"affinity\": {\"window\": \"PT1H\"}}}}", PolicyDocument.class), 1).policy();
        List<SimulatedRep> reps = List.of(rep("a"), rep("b"));
        List<ScenarioLead> leads = new ArrayList<>();
        leads.add(lead("gmail-1", 60, "ann@gmail.com"));
        leads.add(lead("gmail-2", 120, "bob@gmail.com"));
        leads.add(lead("initech-1", 300, "carol@initech.com"));
        leads.add(lead("initech-2", 420, "dave@initech.com"));
        leads.add(lead("initech-3", 450, "erin@initech.com"));
        Scenario day = new Scenario("affinity", DAY, reps, leads, BehaviourModel.alwaysAccepting(Duration.ofMinutes(1)));

        Map<String, String> owners = new Simulation(policy, "affinity", 1).replay(day).owners();

        assertThat(owners).hasSize(5);
        assertThat(owners.get("gmail-2")).as("free mail: fairness decides").isNotEqualTo(owners.get("gmail-1"));
        // both reps have one lead: initech-1 goes to the one idle longest
        assertThat(owners.get("initech-1")).isEqualTo(owners.get("gmail-1"));
        assertThat(owners.get("initech-2")).as("two hours later, outside the window: fairness decides")
                .isNotEqualTo(owners.get("initech-1"));
        assertThat(owners.get("initech-3")).as("half an hour later: the owner, though fairness would pick the other")
                .isEqualTo(owners.get("initech-2"));
    }

    private static SimulatedRep rep(String id) {
        return new SimulatedRep(RepFacts.of(id, "t", 5), DAY, DAY.plus(Duration.ofDays(1)), List.of());
    }

    private static ScenarioLead lead(String id, int minute, String email) {
        return new ScenarioLead(id, DAY.plus(Duration.ofMinutes(minute)), "t", Map.of("email", email, "team", "t"), null, Map.of());
    }
}
