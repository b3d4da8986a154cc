package io.leadrouter.policy;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.replay.BehaviourModel;
import io.leadrouter.replay.Scenario;
import io.leadrouter.replay.ScenarioLead;
import io.leadrouter.replay.SimulatedRep;
import io.leadrouter.replay.Simulation;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.ShadowComparison;
import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A shadow policy through the running service: decisions computed under it beside the live ones, compared, never acted on. */
@QuarkusTest
class ShadowPolicyTest extends SocketTest {

    @Inject
    PolicyCompiler compiler;
    @Inject
    ObjectMapper mapper;

    private static final String SHADOW = "/api/v1/routing/policy/shadow";

    /** Other tests share the service: no shadow outlives its test. */
    @AfterEach
    void stopShadow() {
        api().delete(SHADOW);
    }

    /** Accepts the next offer (before the test profile's 3 s deadline would requeue it for another decision); its lead. */
    private static String accept(AgentClient agent) {
        JsonNode offer = agent.await("offer");
        agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
        agent.await("assigned");
        return offer.path("lead").path("id").asText();
    }

    @Test
    void aShadowWithoutTheTerritoryRequirementWouldHaveRoutedTheLeadLiveHeldAndTheReplayAgrees() {
        String team = Api.newTeam();
        String french = Api.rep(team, "territories", List.of("FR"), "maxLoad", 10);
        int version = api().body(Map.of("description", "no territories", "teams", Map.of(team, Map.of("requireTerritory", false))))
                .put(SHADOW).then().statusCode(200).body("stoppedAt", nullValue()).body("createdAt", notNullValue())
                .body("policy.description", equalTo("no territories")).extract().path("version");
        api().get(SHADOW).then().statusCode(200).body("version", equalTo(version));

        String german;
        try (AgentClient agent = online(french)) {
            String first = Api.lead(team, "country", "FR", "value", 1000);
            assertThat(accept(agent)).isEqualTo(first);
            String second = Api.lead(team, "country", "FR", "value", 2000);
            assertThat(accept(agent)).isEqualTo(second);
            german = Api.lead(team, "country", "DE", "value", 5000);
            await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(Api.getLead(german).getString("status")));
        }

        JsonPath report = api().queryParam("team", team).get(SHADOW + "/report").then().statusCode(200).extract().jsonPath();
        assertThat(report.getInt("shadowVersion")).isEqualTo(version);
        assertThat(report.getLong("decisions")).isEqualTo(3);
        assertThat(report.getLong("agreed")).isEqualTo(2);
        assertThat(report.getDouble("agreementRate")).isEqualTo(0.667);
        assertThat(report.getLong("reps.find { it.repId == '" + french + "' }.live")).isEqualTo(2);
        assertThat(report.getLong("reps.find { it.repId == '" + french + "' }.shadow")).isEqualTo(3);
        assertThat(report.getList("disagreements")).hasSize(1);
        assertThat(report.getString("disagreements[0].leadId")).isEqualTo(german);
        assertThat(report.getString("disagreements[0].liveRepId")).isNull();
        assertThat(report.getString("disagreements[0].shadowRepId")).isEqualTo(french);
        assertThat(report.getDouble("valueByTier.find { it.tier == 'unset' }.liveValue")).isEqualTo(3000.0);
        assertThat(report.getDouble("valueByTier.find { it.tier == 'unset' }.shadowValue")).isEqualTo(8000.0);
        assertThat(report.getDouble("valueByTier.find { it.tier == 'none' }.liveValue")).isEqualTo(5000.0);
        assertThat(report.getLong("teams[0].live.assigned")).isEqualTo(2);
        assertThat(report.getLong("teams[0].shadow.assigned")).isEqualTo(3);
        // the shadow did not act: the German lead is held live, and its trace is the live policy's
        api().get("/api/v1/leads/{id}/decisions", german).then().statusCode(200).body("[0].kind", equalTo("HELD"));

        // the replay's --shadow compares the same three leads the same way
        Map<String, Object> livePolicy = api().get("/api/v1/routing/policy").then().extract().path("policy");
        ShadowComparison.Report replayed = replayed(team, livePolicy, Map.of("teams", Map.of(team, Map.of("requireTerritory", false))));
        assertThat(replayed.decisions()).isEqualTo(3);
        assertThat(replayed.agreed()).isEqualTo(2);
        assertThat(replayed.agreementRate()).isEqualTo(report.getDouble("agreementRate"));
        assertThat(replayed.reps()).singleElement().satisfies(rep -> {
            assertThat(rep.live()).isEqualTo(2);
            assertThat(rep.shadow()).isEqualTo(3);
        });
        assertThat(replayed.valueByTier()).extracting(ShadowComparison.TierValue::tier, ShadowComparison.TierValue::liveValue,
                ShadowComparison.TierValue::shadowValue).containsExactly(tuple("none", 5000.0, 0.0), tuple("unset", 3000.0, 8000.0));
        assertThat(replayed.disagreements()).singleElement().satisfies(d -> assertThat(d.liveRepId()).isNull());
    }

    /** The same roster (one rep for FR) and leads through the replay under the live policy with the shadow beside it. */
    private ShadowComparison.Report replayed(String team, Map<String, Object> live, Map<String, Object> shadow) {
        Instant day = Instant.parse("2024-01-08T00:00:00Z");
        RepFacts french = new RepFacts("fr", team, true, Presence.AVAILABLE, true, 10, 0, Map.of(), Set.of(), Set.of("FR"), null, 1.0,
                ZoneId.of("UTC"), Map.of(), List.of(), RepFacts.Caps.NONE, RepFacts.Caps.ZERO, null, 0);
        // at the end of the day, so the held lead's escalation (10 minutes on) falls after it, as it does in the test above
        Instant late = day.plus(Duration.ofDays(1)).minusSeconds(300);
        List<ScenarioLead> leads = List.of(
                new ScenarioLead("fr-1", late, team, Map.of("team", team, "country", "FR", "value", 1000), null, Map.of()),
                new ScenarioLead("fr-2", late.plusSeconds(60), team, Map.of("team", team, "country", "FR", "value", 2000), null, Map.of()),
                new ScenarioLead("de-1", late.plusSeconds(120), team, Map.of("team", team, "country", "DE", "value", 5000), null, Map.of()));
        Scenario scenario = new Scenario("shadow", day, List.of(new SimulatedRep(french, day, day.plus(Duration.ofDays(1)), List.of())),
                leads, BehaviourModel.alwaysAccepting(Duration.ofMinutes(1)));
        return new Simulation(compile(live), "live", 1, (lead, attempt, repId, random) -> new Simulation.Answer(
                Simulation.Answer.Kind.ACCEPT_AND_CLOSE, Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .withShadow(compile(shadow), "shadow").replay(scenario).report().shadow().comparison();
    }

    private Policy compile(Map<String, Object> document) {
        return compiler.compile(mapper.convertValue(document, PolicyDocument.class), 1).policy();
    }

    @Test
    void aShadowEqualToTheLivePolicyAgreesAndStopsRecordingWhenDeleted() {
        String team = Api.newTeam();
        String french = Api.rep(team, "territories", List.of("FR"), "maxLoad", 10);
        Object live = api().get("/api/v1/routing/policy").then().statusCode(200).extract().path("policy");
        api().body(live).put(SHADOW).then().statusCode(200);

        try (AgentClient agent = online(french)) {
            Api.lead(team, "country", "FR", "value", 1000);
            accept(agent);
            Api.lead(team, "country", "FR");
            accept(agent);
            String german = Api.lead(team, "country", "DE");
            await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(Api.getLead(german).getString("status")));
            api().queryParam("team", team).get(SHADOW + "/report").then().statusCode(200)
                    .body("decisions", equalTo(3)).body("agreementRate", equalTo(1.0f))
                    .body("disagreements.size()", equalTo(0));

            api().delete(SHADOW).then().statusCode(200).body("stoppedAt", notNullValue());
            api().get(SHADOW).then().statusCode(200).body("stoppedAt", notNullValue());
            api().delete(SHADOW).then().statusCode(404).body("code", equalTo("NO_SHADOW_POLICY"));
            Api.lead(team, "country", "FR");
            accept(agent);
        }
        // the report of the stopped shadow covers its lifetime; the offer made after the stop was not compared
        api().queryParam("team", team).get(SHADOW + "/report").then().statusCode(200).body("decisions", equalTo(3))
                .body("reps.find { it.repId == '" + french + "' }.live", equalTo(2));
        String from = api().get(SHADOW).then().extract().path("createdAt");
        api().queryParam("team", team).queryParam("from", from).queryParam("to", "2999-01-01T00:00:00Z").get(SHADOW + "/report")
                .then().statusCode(200).body("decisions", equalTo(3)).body("shadowVersion", nullValue());
    }

    @Test
    void aPullAndTheNoMatchBeforeItAreComparedToo() {
        String team = Api.newTeam();
        String rep = Api.rep(team, "territories", List.of("FR"), "maxLoad", 2);
        api().body(Map.of("teams", Map.of(team, Map.of("requireTerritory", false)))).put(SHADOW).then().statusCode(200);
        try (AgentClient agent = online(rep)) {
            agent.send(Map.of("type", "status", "status", "BUSY"));
            agent.await("status");
            String lead = Api.lead(team, "country", "FR", "value", 700);
            // BUSY: nobody to offer it to, under either policy (a NO_MATCH, once for its attempt)
            await().atMost(Duration.ofSeconds(10)).until(() -> api().queryParam("team", team).get(SHADOW + "/report")
                    .then().extract().<Integer> path("decisions") == 1);
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(lead);
        }
        api().queryParam("team", team).get(SHADOW + "/report").then().statusCode(200).body("decisions", equalTo(2))
                .body("agreed", equalTo(2)).body("reps.find { it.repId == '" + rep + "' }.live", equalTo(1))
                .body("reps.find { it.repId == '" + rep + "' }.shadow", equalTo(1))
                .body("valueByTier.find { it.tier == 'none' }.liveDecisions", equalTo(1));
    }

    @Test
    void aShadowPublishedAndStoppedByAnotherReplicaHoldsHereFromTheNextSweep() {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 3);
        // what PUT and DELETE do on another replica: the row written there, this replica's cache untouched
        Database database = new Database(pool);
        int version = database.rows("INSERT INTO shadow_policy (document) VALUES ('{\"description\": \"elsewhere\"}'::jsonb) "
                + "RETURNING version").get(0).getInteger(0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> api().get(SHADOW).then().statusCode(200)
                .body("version", equalTo(version)).body("policy.description", equalTo("elsewhere")));
        try (AgentClient agent = online(rep)) {
            Api.lead(team);
            accept(agent);
        }
        api().queryParam("team", team).get(SHADOW + "/report").then().statusCode(200).body("decisions", equalTo(1))
                .body("agreed", equalTo(1)).body("shadowVersion", equalTo(version));

        database.rows("UPDATE shadow_policy SET stopped_at = now() WHERE version = $1", version);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> api().get(SHADOW).then().body("stoppedAt", notNullValue()));
    }

    @Test
    void anInvalidShadowIsRefusedLikeAnInvalidPolicyAndChangesNothing() {
        api().body(Map.of("description", "valid")).put(SHADOW).then().statusCode(200);
        int version = api().get(SHADOW).then().extract().path("version");
        api().body(Map.of("defaults", Map.of("weights", Map.of("fairness", 50)))).put(SHADOW).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("INVALID_POLICY"))
                .body("errors.field", hasItem("defaults.weights.fairness"));
        api().body("{\"defaults\": {\"maxAtempts\": 3}}").put(SHADOW).then().statusCode(400).body("code", equalTo("UNKNOWN_FIELD"));
        api().get(SHADOW).then().statusCode(200).body("version", equalTo(version)).body("policy.description", equalTo("valid"));
        api().queryParam("from", "yesterday").get(SHADOW + "/report").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("from"));
        api().queryParam("from", "2026-01-02T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z").get(SHADOW + "/report")
                .then().statusCode(400).body("code", equalTo("INVALID_WINDOW"));
    }

    @Test
    void aReadKeyReadsTheShadowAndItsReportButCannotPublishOrStopIt() {
        api().body(Map.of("description", "by admin")).put(SHADOW).then().statusCode(200);
        String read = Api.key("read");
        Api.as(read).get(SHADOW).then().statusCode(200).body("policy.description", equalTo("by admin"));
        Api.as(read).get(SHADOW + "/report").then().statusCode(200);
        Api.as(read).body(Map.of("description", "by read")).put(SHADOW).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        Api.as(read).delete(SHADOW).then().statusCode(403);
        api().get(SHADOW).then().statusCode(200).body("policy.description", equalTo("by admin")).body("stoppedAt", nullValue());
    }
}
