package io.leadrouter.lifecycle;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.replay.BehaviourModel;
import io.leadrouter.replay.CrmDataset;
import io.leadrouter.replay.Scenario;
import io.leadrouter.replay.ScenarioLead;
import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Exact weighted fairness and owner affinity through the running service: reps on sockets, leads over REST. */
@QuarkusTest
class FairnessAndAffinityFlowTest extends SocketTest {

    /** Reps online by id; each routed lead is accepted at once (and closed, unless kept) by whoever is offered it. */
    private final Map<String, AgentClient> online = new LinkedHashMap<>();

    private void connect(String... reps) {
        for (String rep : reps) {
            online.put(rep, online(rep));
        }
    }

    private void disconnectAll() {
        online.values().forEach(AgentClient::close);
        online.clear();
    }

    private static void publish(Map<String, Object> teams) {
        api().body(Map.of("teams", teams)).put("/api/v1/routing/policy").then().statusCode(200);
    }

    /**
     * Posts the lead, accepts its offer as the rep it went to, closes it unless {@code keep}; returns lead, rep, and the
     * offer frame's {@code why.decidedBy} and {@code why.accountOwner}.
     */
    private String[] route(String team, boolean keep, Map<String, Object> fields) {
        Map<String, Object> lead = new HashMap<>(fields);
        lead.put("team", team);
        String id = api().body(lead).post("/api/v1/leads").then().statusCode(201).extract().path("id");
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            for (Map.Entry<String, AgentClient> rep : online.entrySet()) {
                Optional<JsonNode> offer = rep.getValue().poll("offer", Duration.ofMillis(20));
                if (offer.isPresent() && offer.get().path("lead").path("id").asText().equals(id)) {
                    AgentClient agent = rep.getValue();
                    agent.send(Map.of("type", "accept", "offerId", offer.get().path("offerId").asText()));
                    agent.await("assigned", f -> f.path("lead").path("id").asText().equals(id), Duration.ofSeconds(5));
                    if (!keep) {
                        agent.send(Map.of("type", "close", "leadId", id, "outcome", "CONTACTED"));
                        agent.await("closed", f -> f.path("lead").path("id").asText().equals(id), Duration.ofSeconds(5));
                    }
                    JsonNode why = offer.get().path("why");
                    return new String[] {id, rep.getKey(), why.path("decidedBy").asText(), why.path("accountOwner").asText()};
                }
            }
        }
        throw new AssertionError("no offer of lead " + id);
    }

    private static JsonPath firstDecision(String lead) {
        return api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200).extract().jsonPath().setRootPath("[0]");
    }

    @Test
    void crmSampleLeadsReachEquallyEligibleRepsByTheirWeights() throws Exception {
        String team = Api.newTeam();
        publish(Map.of(team, Map.of()));
        List<String> reps = new ArrayList<>();
        Map<String, Double> weights = new HashMap<>();
        for (double weight : new double[] {1, 1, 1, 1, 2, 2}) {
            String rep = Api.rep(team, "weight", weight, "maxLoad", 5, "languages", List.of("en"));
            reps.add(rep);
            weights.put(rep, weight);
        }
        Scenario day = CrmDataset.load(java.nio.file.Path.of("../shared/data/crm-sales-opportunities"),
                new CrmDataset.Selection(null, 2), BehaviourModel.DEFAULT, 42);
        Map<String, Integer> assigned = new HashMap<>();
        try {
            connect(reps.toArray(String[]::new));
            for (ScenarioLead lead : day.leads().subList(0, 40)) {
                Map<String, Object> fields = new HashMap<>(lead.fields());
                fields.put("externalId", team + "-" + lead.sourceId());
                fields.putIfAbsent("name", "Opportunity " + lead.sourceId());
                assigned.merge(route(team, false, fields)[1], 1, Integer::sum);
            }
        } finally {
            disconnectAll();
        }
        List<Double> perWeight = reps.stream().map(r -> assigned.getOrDefault(r, 0) / weights.get(r)).sorted().toList();
        assertThat(perWeight.get(perWeight.size() - 1) / perWeight.get(0)).as("max/min " + assigned).isLessThanOrEqualTo(1.2);
        for (String rep : reps) {
            double share = 40 * weights.get(rep) / 8;
            assertThat((double) assigned.getOrDefault(rep, 0)).as(rep + " " + assigned)
                    .isBetween(share * 0.9, share * 1.1);
        }
    }

    @Test
    void withMakeUpARepBackFromAwayCatchesUpAndWithoutItRejoinsTheRotation() {
        String catchingUp = Api.newTeam();
        String rejoining = Api.newTeam();
        publish(Map.of(catchingUp, Map.of("fairness", Map.of("makeUp", true)),
                rejoining, Map.of("fairness", Map.of("makeUp", false))));
        assertThat(leadsAfterComingBack(catchingUp)).as("make-up: all three to the returning rep").isEqualTo(3);
        assertThat(leadsAfterComingBack(rejoining)).as("no make-up: one of three, its turn in the round").isEqualTo(1);
    }

    /** Three reps, one AWAY for six leads, then back: how many of the next three it gets. */
    private long leadsAfterComingBack(String team) {
        String a = Api.rep(team, "maxLoad", 5);
        String b = Api.rep(team, "maxLoad", 5);
        String away = Api.rep(team, "maxLoad", 5);
        try {
            connect(a, b, away);
            online.get(away).send(Map.of("type", "status", "status", "AWAY"));
            online.get(away).await("status", f -> "AWAY".equals(f.path("status").asText()), Duration.ofSeconds(5));
            for (int i = 0; i < 6; i++) {
                assertThat(route(team, false, Map.of("company", "Before " + i))[1]).isNotEqualTo(away);
            }
            online.get(away).send(Map.of("type", "status", "status", "AVAILABLE"));
            online.get(away).await("status", f -> "AVAILABLE".equals(f.path("status").asText()), Duration.ofSeconds(5));
            long toReturning = 0;
            for (int i = 0; i < 3; i++) {
                toReturning += route(team, false, Map.of("company", "After " + i))[1].equals(away) ? 1 : 0;
            }
            return toReturning;
        } finally {
            disconnectAll();
        }
    }

    @Test
    void aLeadOfAKnownAccountGoesToItsOwnerWhileEligibleAndTheTraceSaysWhyNotOtherwise() {
        String team = Api.newTeam();
        publish(Map.of(team, Map.of()));
        String first = Api.rep(team, "maxLoad", 5);
        String second = Api.rep(team, "maxLoad", 5);
        String account = "acc-" + UUID.randomUUID();
        try {
            connect(first, second);
            String[] earlier = route(team, true, Map.of("company", "Globex", "attributes", Map.of("accountId", account)));
            String owner = earlier[1];
            String other = owner.equals(first) ? second : first;

            // the owner is one lead ahead, so fairness alone would pick the other rep: affinity decides
            String[] again = route(team, false, Map.of("company", "Globex", "attributes", Map.of("accountId", account)));
            assertThat(again[1]).isEqualTo(owner);
            assertThat(again[2]).as("the offer frame's why").isEqualTo("affinity");
            assertThat(again[3]).isEqualTo("true");
            JsonPath decision = firstDecision(again[0]);
            assertThat(decision.getString("decidedBy")).isEqualTo("affinity");
            assertThat(decision.getString("affinity.key")).isEqualTo("attributes.accountId");
            assertThat(decision.getString("affinity.value")).isEqualTo(account);
            assertThat(decision.getString("affinity.leadId")).isEqualTo(earlier[0]);
            assertThat(decision.getString("affinity.ownerRepId")).isEqualTo(owner);
            assertThat(decision.getBoolean("affinity.ownerEligible")).isTrue();

            online.get(owner).send(Map.of("type", "status", "status", "AWAY"));
            online.get(owner).await("status", f -> "AWAY".equals(f.path("status").asText()), Duration.ofSeconds(5));
            String[] whileAway = route(team, false, Map.of("company", "Globex", "attributes", Map.of("accountId", account)));
            assertThat(whileAway[1]).isEqualTo(other);
            JsonPath routedOn = firstDecision(whileAway[0]);
            assertThat(routedOn.getBoolean("affinity.ownerEligible")).isFalse();
            assertThat(routedOn.getString("affinity.ownerExclusion")).isEqualTo("NOT_AVAILABLE");
            assertThat(routedOn.getString("affinity.detail")).isEqualTo("rep is AWAY");
            assertThat(routedOn.getString("decidedBy")).isNotEqualTo("affinity");

            // the owned leads fall out of the 90-day window: no affinity any more
            new Database(pool).rows("UPDATE lead SET created_at = now() - interval '91 days' WHERE attributes ->> 'accountId' = $1",
                    account);
            online.get(owner).send(Map.of("type", "status", "status", "AVAILABLE"));
            online.get(owner).await("status", f -> "AVAILABLE".equals(f.path("status").asText()), Duration.ofSeconds(5));
            String[] later = route(team, false, Map.of("company", "Globex", "attributes", Map.of("accountId", account)));
            assertThat(firstDecision(later[0]).getString("affinity")).isNull();
        } finally {
            disconnectAll();
        }
    }

    @Test
    void theEmailDomainMatchesUnlessItIsFreeMailAndTheCompanyMatchesNormalised() {
        String byDomain = Api.newTeam();
        String byCompany = Api.newTeam();
        publish(Map.of(byDomain, Map.of("affinity", Map.of("freeMailDomains", List.of("mailbox.example"))),
                byCompany, Map.of("affinity", Map.of("by", List.of("company")))));
        String domain = "d" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        String company = "Initech " + UUID.randomUUID().toString().substring(0, 8);
        try {
            connect(Api.rep(byDomain, "maxLoad", 9), Api.rep(byDomain, "maxLoad", 9));
            String[] owned = route(byDomain, true, Map.of("email", "ann@" + domain.toUpperCase()));
            String[] sameDomain = route(byDomain, false, Map.of("email", "bob@" + domain));
            assertThat(sameDomain[1]).isEqualTo(owned[1]);
            assertThat(firstDecision(sameDomain[0]).getString("affinity.key")).isEqualTo("emailDomain");
            assertThat(firstDecision(sameDomain[0]).getString("affinity.value")).isEqualTo(domain);

            route(byDomain, true, Map.of("email", "carol." + UUID.randomUUID() + "@gmail.com"));
            String[] otherGmail = route(byDomain, false, Map.of("email", "dave." + UUID.randomUUID() + "@gmail.com"));
            assertThat(firstDecision(otherGmail[0]).getString("affinity")).as("built-in free mail").isNull();
            route(byDomain, true, Map.of("email", "erin." + UUID.randomUUID() + "@mailbox.example"));
            String[] extra = route(byDomain, false, Map.of("email", "fred." + UUID.randomUUID() + "@mailbox.example"));
            assertThat(firstDecision(extra[0]).getString("affinity")).as("the policy's free mail").isNull();
            disconnectAll();

            connect(Api.rep(byCompany, "maxLoad", 9), Api.rep(byCompany, "maxLoad", 9));
            String[] first = route(byCompany, true, Map.of("company", company + ", Inc."));
            String[] second = route(byCompany, false, Map.of("company", company.toUpperCase() + " LLC", "email", "x@" + domain));
            assertThat(second[1]).isEqualTo(first[1]);
            assertThat(firstDecision(second[0]).getString("affinity.key")).isEqualTo("company");
            assertThat(firstDecision(second[0]).getString("affinity.value")).isEqualTo(company.toLowerCase());
        } finally {
            disconnectAll();
        }
    }

    @Test
    void aPullIsTheRepsChoiceAndItsTraceRecordsTheAccountMatch() {
        String team = Api.newTeam();
        publish(Map.of(team, Map.of()));
        String owner = Api.rep(team, "maxLoad", 5);
        String puller = Api.rep(team, "maxLoad", 5);
        String account = "acc-" + UUID.randomUUID();
        try {
            connect(owner);
            String earlier = route(team, true, Map.of("company", "Hooli", "attributes", Map.of("accountId", account)))[0];
            connect(puller);
            for (AgentClient agent : online.values()) {
                agent.send(Map.of("type", "status", "status", "BUSY"));
                agent.await("status", f -> "BUSY".equals(f.path("status").asText()), Duration.ofSeconds(5));
            }
            String waiting = Api.lead(team, "company", "Hooli", "attributes", Map.of("accountId", account));
            Api.awaitNoMatch(waiting);
            online.get(puller).send(Map.of("type", "pull"));
            online.get(puller).await("assigned", f -> f.path("lead").path("id").asText().equals(waiting), Duration.ofSeconds(5));

            JsonPath pulled = api().get("/api/v1/leads/{id}/decisions", waiting).then().statusCode(200).extract().jsonPath();
            int last = pulled.getList("$").size() - 1;
            assertThat(pulled.getString("[" + last + "].kind")).isEqualTo("PULL");
            assertThat(pulled.getString("[" + last + "].affinity.leadId")).isEqualTo(earlier);
            assertThat(pulled.getString("[" + last + "].affinity.ownerRepId")).isEqualTo(owner);
            assertThat(pulled.getBoolean("[" + last + "].affinity.ownerEligible")).isFalse();
            assertThat(pulled.getString("[" + last + "].affinity.ownerExclusion")).isEqualTo("PULLED_BY_ANOTHER_REP");
        } finally {
            disconnectAll();
        }
    }

    @Test
    void affinitySettingsAreChecked() {
        api().body(Map.of("teams", Map.of(Api.newTeam(), Map.of("affinity", Map.of("by", List.of("phone", "company", "company"),
                "window", "PT0S", "freeMailDomains", List.of("Not A Domain")))))).put("/api/v1/routing/policy").then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItems(
                        org.hamcrest.Matchers.endsWith(".affinity.by[0]"), org.hamcrest.Matchers.endsWith(".affinity.by[2]"),
                        org.hamcrest.Matchers.endsWith(".affinity.window"), org.hamcrest.Matchers.endsWith(".affinity.freeMailDomains[0]")));
    }
}
