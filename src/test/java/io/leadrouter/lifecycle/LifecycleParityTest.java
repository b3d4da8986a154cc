package io.leadrouter.lifecycle;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyCompiler;
import io.leadrouter.policy.PolicyDocument;
import io.leadrouter.replay.BehaviourModel;
import io.leadrouter.replay.Scenario;
import io.leadrouter.replay.ScenarioLead;
import io.leadrouter.replay.SimulatedRep;
import io.leadrouter.replay.Simulation;
import io.leadrouter.replay.Simulation.Answer;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Row;

/**
 * One scripted day through the running service and through the replay's simulator: every lead must end the same way
 * in both (status, attempts, escalation, hold reason, declines and misses), or the what-if answers would be wrong.
 * The script covers declines, lapsed offers, a hold on the last attempt where the escalation threshold is reached
 * too, and a take-back that counts towards escalation.
 */
@QuarkusTest
class LifecycleParityTest extends SocketTest {

    private static final int REPS = 4;

    @Inject
    PolicyCompiler compiler;
    @Inject
    ObjectMapper mapper;

    /** Each lead's answers, by attempt. */
    private static final Map<String, List<Answer.Kind>> SCRIPT = new LinkedHashMap<>();

    static {
        SCRIPT.put("accepted-at-once", List.of(Answer.Kind.ACCEPT_AND_CLOSE));
        SCRIPT.put("declined-then-accepted", List.of(Answer.Kind.DECLINE, Answer.Kind.ACCEPT_AND_CLOSE));
        SCRIPT.put("missed-declined-accepted", List.of(Answer.Kind.IGNORE, Answer.Kind.DECLINE, Answer.Kind.ACCEPT_AND_CLOSE));
        // the third failure reaches the escalation threshold on the last allowed attempt: held, not escalated
        SCRIPT.put("missed-on-every-attempt", List.of(Answer.Kind.IGNORE, Answer.Kind.IGNORE, Answer.Kind.IGNORE));
        SCRIPT.put("declined-on-every-attempt", List.of(Answer.Kind.DECLINE, Answer.Kind.DECLINE, Answer.Kind.DECLINE));
        // declined, missed, then taken back: the take-back is the third failure, so the lead escalates and is requeued
        SCRIPT.put("taken-back-and-escalated", List.of(Answer.Kind.DECLINE, Answer.Kind.IGNORE, Answer.Kind.ACCEPT_AND_NEVER_CLOSE,
                Answer.Kind.ACCEPT_AND_CLOSE));
    }

    /** What the scripted day must come to, in the service and in the replay alike. */
    private static final Map<String, Simulation.LeadOutcome> EXPECTED = Map.of(
            "accepted-at-once", new Simulation.LeadOutcome("accepted-at-once", "CLOSED", 1, false, null, 0, 0),
            "declined-then-accepted", new Simulation.LeadOutcome("declined-then-accepted", "CLOSED", 2, false, null, 1, 0),
            "missed-declined-accepted", new Simulation.LeadOutcome("missed-declined-accepted", "CLOSED", 3, false, null, 1, 1),
            "missed-on-every-attempt", new Simulation.LeadOutcome("missed-on-every-attempt", "HELD", 3, false, "MAX_ATTEMPTS", 0, 3),
            "declined-on-every-attempt", new Simulation.LeadOutcome("declined-on-every-attempt", "HELD", 3, false, "MAX_ATTEMPTS", 3, 0),
            "taken-back-and-escalated", new Simulation.LeadOutcome("taken-back-and-escalated", "CLOSED", 4, true, null, 1, 2));

    private static Map<String, Object> teamSettings() {
        return Map.of("offerTimeout", "PT1S", "maxAttempts", 3,
                "escalation", Map.of("afterAttempts", 3, "priorityBoost", 5),
                "sla", Map.of("untendedAfter", "PT2S"),
                // nothing leaves the holding pool during the day, in either run
                "holding", Map.of("escalateAfter", "P7D"));
    }

    @Test
    void aScriptedDayEndsTheSameForEveryLeadInTheServiceAndInTheReplay() {
        String team = Api.newTeam();
        Map<String, Object> document = Map.of("teams", Map.of(team, teamSettings()));
        api().body(document).put("/api/v1/routing/policy").then().statusCode(200);

        Map<String, Simulation.LeadOutcome> service = throughTheService(team);
        Map<String, Simulation.LeadOutcome> replay = throughTheReplay(team, document);

        assertThat(service).as("the service").isEqualTo(EXPECTED);
        assertThat(replay).as("the replay").isEqualTo(service);
    }

    /** Leads of a day with unequal weights and one account, each with its answers by attempt and its account id. */
    private static final Map<String, List<Answer.Kind>> ACCOUNT_DAY = new LinkedHashMap<>();
    private static final Map<String, String> ACCOUNT_OF = Map.of("account-first", "acme", "account-again", "acme",
            "account-declined-by-owner", "acme");

    static {
        for (String name : List.of("fair-1", "fair-2", "fair-3", "account-first", "fair-4", "account-again",
                "account-declined-by-owner", "fair-5")) {
            ACCOUNT_DAY.put(name, name.equals("account-declined-by-owner")
                    ? List.of(Answer.Kind.DECLINE, Answer.Kind.ACCEPT_AND_CLOSE) : List.of(Answer.Kind.ACCEPT_AND_CLOSE));
        }
    }

    /**
     * Exact weighted fairness and owner affinity decide alike in both: every lead ends with the same owner. Weights 1,
     * 2 and 3 leave no tie to the hash of lead and rep (lead ids differ between the runs); a lead of a known account
     * goes to the account's owner, and when the owner declines, to whom fairness says.
     */
    @Test
    void fairnessAndOwnerAffinityGiveEveryLeadTheSameOwnerInTheServiceAndInTheReplay() {
        String team = Api.newTeam();
        String account = "acct-" + team;
        Map<String, Object> document = Map.of("teams", Map.of(team, Map.of("offerTimeout", "PT5S")));
        api().body(document).put("/api/v1/routing/policy").then().statusCode(200);
        List<String> repIds = new ArrayList<>();
        List<AgentClient> reps = new ArrayList<>();
        Map<String, String> service = new LinkedHashMap<>();
        try {
            for (double weight : new double[] {1, 2, 3}) {
                String rep = Api.rep(team, "maxLoad", 3, "weight", weight);
                repIds.add(rep);
                reps.add(online(rep));
            }
            ACCOUNT_DAY.forEach((name, answers) -> {
                String lead = ACCOUNT_OF.containsKey(name)
                        ? Api.lead(team, "externalId", team + "-" + name, "attributes", Map.of("accountId", account))
                        : Api.lead(team, "externalId", team + "-" + name);
                for (Answer.Kind answer : answers) {
                    answerNextOffer(reps, lead, answer);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> Api.getLead(lead).getString("status").equals("CLOSED"));
                service.put(name, Api.getLead(lead).getString("ownerRepId"));
            });
        } finally {
            reps.forEach(AgentClient::close);
        }

        Policy policy = compiler.compile(mapper.convertValue(document, PolicyDocument.class), 1).policy();
        Instant day = Instant.parse("2024-01-08T00:00:00Z");
        List<SimulatedRep> simulated = new ArrayList<>();
        for (int i = 0; i < repIds.size(); i++) {
            RepFacts base = RepFacts.of(repIds.get(i), team, 3);
            simulated.add(new SimulatedRep(new RepFacts(base.id(), team, true, base.presence(), true, 3, 0, Map.of(), java.util.Set.of(),
                    java.util.Set.of(), null, i + 1.0, base.zone(), Map.of(), List.of(), RepFacts.Caps.NONE, RepFacts.Caps.ZERO, null, 0),
                    day, day.plus(Duration.ofDays(1)), List.of()));
        }
        List<ScenarioLead> leads = new ArrayList<>();
        int minute = 1;
        for (String name : ACCOUNT_DAY.keySet()) {
            Map<String, Object> fields = ACCOUNT_OF.containsKey(name)
                    ? Map.of("externalId", name, "team", team, "attributes", Map.of("accountId", account))
                    : Map.of("externalId", name, "team", team);
            leads.add(new ScenarioLead(name, day.plus(Duration.ofMinutes(minute++)), team, fields, null, Map.of()));
        }
        Scenario scenario = new Scenario("parity-accounts", day, simulated, leads, BehaviourModel.alwaysAccepting(Duration.ofMinutes(1)));
        Map<String, String> replay = new Simulation(policy, "parity", 1, (lead, attempt, repId, random) -> new Answer(
                ACCOUNT_DAY.get(lead.sourceId()).get(attempt - 1), Duration.ofMillis(100), Duration.ofMillis(100)))
                .replay(scenario).owners();

        assertThat(service.get("account-again")).as("the account's owner").isEqualTo(service.get("account-first"));
        assertThat(service.get("account-declined-by-owner")).as("declined by the owner").isNotEqualTo(service.get("account-first"));
        assertThat(service.values().stream().filter(repIds.get(2)::equals).count()).as("the heaviest rep").isGreaterThanOrEqualTo(3);
        assertThat(replay).as("the replay").isEqualTo(service);
    }

    private Map<String, Simulation.LeadOutcome> throughTheService(String team) {
        List<AgentClient> reps = new ArrayList<>();
        try {
            for (int i = 0; i < REPS; i++) {
                reps.add(online(Api.rep(team, "maxLoad", 3)));
            }
            Map<String, Simulation.LeadOutcome> outcomes = new LinkedHashMap<>();
            SCRIPT.forEach((name, answers) -> {
                String lead = Api.lead(team, "externalId", team + "-" + name, "score", 50);
                for (Answer.Kind answer : answers) {
                    answerNextOffer(reps, lead, answer);
                }
                String last = answers.get(answers.size() - 1) == Answer.Kind.ACCEPT_AND_CLOSE ? "CLOSED" : "HELD";
                await().atMost(Duration.ofSeconds(10)).until(() -> Api.getLead(lead).getString("status").equals(last));
                outcomes.put(name, outcomeOf(name, lead));
            });
            return outcomes;
        } finally {
            reps.forEach(AgentClient::close);
        }
    }

    /** Waits for the lead's next offer at whichever rep gets it, and answers as scripted. */
    private static void answerNextOffer(List<AgentClient> reps, String lead, Answer.Kind answer) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            for (AgentClient rep : reps) {
                Optional<JsonNode> offer = rep.poll("offer", Duration.ofMillis(50));
                if (offer.isEmpty() || !offer.get().path("lead").path("id").asText().equals(lead)) {
                    continue;
                }
                String offerId = offer.get().path("offerId").asText();
                switch (answer) {
                    case DECLINE -> rep.send(Map.of("type", "decline", "offerId", offerId));
                    case IGNORE -> {
                        rep.await("offer-withdrawn", f -> f.path("offerId").asText().equals(offerId), Duration.ofSeconds(5));
                        // set AWAY by the miss: back to work at once, as the replay's reps are
                        rep.await("status", f -> "MISSED_OFFER".equals(f.path("reason").asText()), Duration.ofSeconds(5));
                        rep.send(Map.of("type", "status", "status", "AVAILABLE"));
                        rep.await("status", f -> f.path("reason").isMissingNode(), Duration.ofSeconds(5));
                    }
                    case ACCEPT_AND_CLOSE -> {
                        rep.send(Map.of("type", "accept", "offerId", offerId));
                        rep.await("assigned", f -> f.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                        rep.send(Map.of("type", "close", "leadId", lead, "outcome", "CONTACTED"));
                        rep.await("closed", f -> f.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                    }
                    case ACCEPT_AND_NEVER_CLOSE -> {
                        rep.send(Map.of("type", "accept", "offerId", offerId));
                        rep.await("assigned", f -> f.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                        rep.await("lead-taken-back", f -> f.path("leadId").asText().equals(lead), Duration.ofSeconds(10));
                    }
                }
                return;
            }
        }
        throw new AssertionError("No offer of lead " + lead + " reached a rep");
    }

    /** The lead as the service stored it, in the replay's terms. */
    private Simulation.LeadOutcome outcomeOf(String name, String leadId) {
        JsonPath lead = Api.getLead(leadId);
        Row stored = new Database(pool).rows("""
                SELECT cardinality(declined_by), cardinality(missed_by), escalated_at IS NOT NULL FROM lead WHERE id = $1::uuid
                """, leadId).get(0);
        return new Simulation.LeadOutcome(name, lead.getString("status"), lead.getInt("attempts"), stored.getBoolean(2),
                lead.getString("holdReason"), stored.getInteger(0), stored.getInteger(1));
    }

    private Map<String, Simulation.LeadOutcome> throughTheReplay(String team, Map<String, Object> document) {
        Policy policy = compiler.compile(mapper.convertValue(document, PolicyDocument.class), 1).policy();
        Instant day = Instant.parse("2024-01-08T00:00:00Z");
        List<SimulatedRep> reps = new ArrayList<>();
        for (int i = 0; i < REPS; i++) {
            reps.add(new SimulatedRep(RepFacts.of("rep-" + i, team, 3), day, day.plus(Duration.ofDays(1)), List.of()));
        }
        List<ScenarioLead> leads = new ArrayList<>();
        int hour = 1;
        for (String name : SCRIPT.keySet()) {
            leads.add(new ScenarioLead(name, day.plus(Duration.ofHours(hour++)), team, Map.of("externalId", name, "team", team),
                    50, Map.of()));
        }
        Scenario scenario = new Scenario("parity", day, reps, leads, BehaviourModel.alwaysAccepting(Duration.ofMinutes(1)));
        // answered and closed at once, as the service's reps do: well inside the offer timeout and the SLA
        Simulation simulation = new Simulation(policy, "parity", 1, (lead, attempt, repId, random) -> new Answer(
                SCRIPT.get(lead.sourceId()).get(attempt - 1), Duration.ofMillis(100), Duration.ofMillis(100)));
        Map<String, Simulation.LeadOutcome> outcomes = new LinkedHashMap<>();
        simulation.replay(scenario).leads().forEach(outcome -> outcomes.put(outcome.sourceId(), outcome));
        return outcomes;
    }
}
