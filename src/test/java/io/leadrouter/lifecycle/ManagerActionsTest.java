package io.leadrouter.lifecycle;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/** A manager's assign and reassign, bulk requeue and close of held leads, pause and resume, and declines with their reasons. */
@QuarkusTest
class ManagerActionsTest extends SocketTest {

    private static final Duration NONE_WITHIN = Duration.ofMillis(1500);

    private static Map<String, Object> assignment(String repId, boolean force) {
        return Map.of("repId", repId, "reason", "customer asked for " + repId, "force", force);
    }

    private JsonObject eventData(String lead, String type) {
        List<io.vertx.mutiny.sqlclient.Row> rows = new Database(pool).rows(
                "SELECT data FROM lifecycle_event WHERE lead_id = $1::uuid AND type = $2 ORDER BY id DESC", lead, type);
        return rows.isEmpty() ? null : rows.get(0).getJsonObject(0);
    }

    @Test
    void aQueuedLeadIsAssignedToTheNamedRepTracedWithWhoAndWhy() {
        String team = Api.newTeam();
        // nobody connected: the lead waits in the queue
        String rep = Api.rep(team, "maxLoad", 2);
        String lead = Api.lead(team);
        api().body(assignment(rep, false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(200)
                .body("status", equalTo("ASSIGNED")).body("ownerRepId", equalTo(rep));
        assertThat(Api.getRep(rep).getInt("activeLoad")).isEqualTo(1);
        JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200).extract().jsonPath();
        int last = trace.getList("kind").size() - 1;
        assertThat(trace.getString("[" + last + "].kind")).isEqualTo("MANUAL");
        assertThat(trace.getString("[" + last + "].chosenRepId")).isEqualTo(rep);
        assertThat(trace.getString("[" + last + "].reason")).isEqualTo("customer asked for " + rep);
        assertThat(trace.getString("[" + last + "].manual.by")).isEqualTo("leadrouter.api-keys #1");
        assertThat(trace.getString("[" + last + "].manual.byId")).isEqualTo("env-1");
        assertThat(trace.getBoolean("[" + last + "].manual.forced")).isFalse();
        JsonObject assigned = eventData(lead, "lead.assigned");
        assertThat(assigned.getString("via")).isEqualTo("manual");
        assertThat(assigned.getString("by")).isEqualTo("leadrouter.api-keys #1");
        assertThat(assigned.getString("reason")).isEqualTo("customer asked for " + rep);
        assertThat(assigned.getString("from")).isEqualTo("QUEUED");
        // the same rep again: nothing changes, no second decision
        api().body(assignment(rep, false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(200);
        assertThat(Api.getRep(rep).getInt("activeLoad")).isEqualTo(1);
        assertThat(new Database(pool).count("SELECT count(*) FROM decision WHERE lead_id = $1::uuid AND kind = 'MANUAL'", lead))
                .isEqualTo(1);
    }

    @Test
    void aRepFailingAConstraintIsRefusedWith422UnlessForced() {
        String team = Api.newTeam();
        String french = Api.rep(team, "territories", List.of("FR"));
        String lead = Api.lead(team, "country", "DE");
        await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(Api.getLead(lead).getString("status")));
        api().body(assignment(french, false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(422)
                .body("code", equalTo("REP_NOT_ELIGIBLE")).body("errors[0].field", equalTo("repId"))
                .body("errors[0].reason", containsString("TERRITORY"));
        assertThat(Api.getLead(lead).getString("status")).isEqualTo("HELD");
        api().body(assignment(french, true)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(200)
                .body("status", equalTo("ASSIGNED")).body("ownerRepId", equalTo(french)).body("holdReason", equalTo(null));
        JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().extract().jsonPath();
        int last = trace.getList("kind").size() - 1;
        assertThat(trace.getBoolean("[" + last + "].manual.forced")).isTrue();
        assertThat(trace.getString("[" + last + "].manual.skipped.exclusion")).isEqualTo("TERRITORY");
        assertThat(eventData(lead, "lead.assigned").getString("from")).isEqualTo("HELD");
    }

    @Test
    void refusalsSayWhy() {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 1);
        String lead = Api.lead(team);
        api().body(assignment("rep-nobody", false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(404);
        api().body(assignment(rep, false)).post("/api/v1/leads/{id}/assign", UUID.randomUUID()).then().statusCode(404);
        api().body(Map.of("repId", rep)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(400);
        api().body(Map.of("repId", rep, "reason", "x".repeat(501))).post("/api/v1/leads/{id}/assign", lead).then().statusCode(400);
        // forced or not, nobody goes past max load
        api().body(assignment(rep, false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(200);
        String second = Api.lead(team);
        api().body(assignment(rep, true)).post("/api/v1/leads/{id}/assign", second).then().statusCode(422)
                .body("code", equalTo("AT_CAPACITY"));
        assertThat(Api.getRep(rep).getInt("activeLoad")).isEqualTo(1);
        api().body(Map.of("outcome", "CONTACTED")).post("/api/v1/leads/{id}/close", lead).then().statusCode(200);
        api().body(assignment(rep, true)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(409)
                .body("code", equalTo("LEAD_CLOSED"));
        api().delete("/api/v1/reps/{id}", rep).then().statusCode(204);
        api().body(assignment(rep, true)).post("/api/v1/leads/{id}/assign", second).then().statusCode(422)
                .body("code", equalTo("REP_INACTIVE"));
    }

    @Test
    void readAndIntakeKeysCannotActAsManagers() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        String lead = Api.lead(team);
        for (String key : List.of(Api.key("read"), Api.key("intake"), Api.key("read", "intake"))) {
            Api.as(key).body(assignment(rep, true)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(403);
            Api.as(key).body(Map.of("ids", List.of(lead))).post("/api/v1/leads/held/requeue").then().statusCode(403);
            Api.as(key).body(Map.of("ids", List.of(lead), "outcome", "DISQUALIFIED")).post("/api/v1/leads/held/close").then()
                    .statusCode(403);
            Api.as(key).body(Map.of("reason", "x")).post("/api/v1/reps/{id}/pause", rep).then().statusCode(403);
            Api.as(key).post("/api/v1/reps/{id}/resume", rep).then().statusCode(403);
        }
        assertThat(Api.getLead(lead).getString("status")).isEqualTo("QUEUED");
        assertThat(Api.getRep(rep).getString("paused")).isNull();
    }

    @Test
    void reassigningTellsThePreviousOwnerAndMovesTheLoad() {
        String team = Api.newTeam();
        String first = Api.rep(team);
        String second = Api.rep(team);
        String lead = Api.lead(team);
        api().body(assignment(first, false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(200);
        try (AgentClient previous = online(first)) {
            api().body(assignment(second, false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(200)
                    .body("ownerRepId", equalTo(second));
            JsonNode takenBack = previous.await("lead-taken-back");
            assertThat(takenBack.path("leadId").asText()).isEqualTo(lead);
            assertThat(takenBack.path("reason").asText()).isEqualTo("REASSIGNED");
        }
        assertThat(Api.getRep(first).getInt("activeLoad")).isZero();
        assertThat(Api.getRep(second).getInt("activeLoad")).isEqualTo(1);
        assertThat(eventData(lead, "lead.assigned").getString("previousOwnerRepId")).isEqualTo(first);
        JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().extract().jsonPath();
        int last = trace.getList("kind").size() - 1;
        assertThat(trace.getString("[" + last + "].manual.previousOwnerRepId")).isEqualTo(first);
    }

    @Test
    void anOfferedLeadHasItsOfferCancelledAndTheOfferedRepsLoadBack() {
        String team = Api.newTeam();
        String offered = Api.rep(team);
        String other = Api.rep(team);
        try (AgentClient agent = online(offered)) {
            String lead = Api.lead(team);
            JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(10));
            api().body(assignment(other, false)).post("/api/v1/leads/{id}/assign", lead).then().statusCode(200)
                    .body("ownerRepId", equalTo(other));
            assertThat(agent.await("offer-withdrawn").path("offerId").asText()).isEqualTo(offer.path("offerId").asText());
            assertThat(new Database(pool).rows("SELECT state FROM offer WHERE id = $1::uuid", offer.path("offerId").asText())
                    .get(0).getString(0)).isEqualTo("CANCELLED");
            assertThat(Api.getRep(offered).getInt("activeLoad")).isZero();
            // the offer can no longer be accepted
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            assertThat(agent.await("error").path("code").asText()).isEqualTo("OFFER_EXPIRED");
        }
    }

    @Test
    void anAssignRacingTheOfferedRepsAcceptOrAPullLeavesOneOwnerAndExactLoads() throws Exception {
        String team = Api.newTeam();
        String offered = Api.rep(team, "maxLoad", 5);
        String manual = Api.rep(team, "maxLoad", 10);
        try (AgentClient agent = online(offered)) {
            for (int round = 0; round < 4; round++) {
                String lead = Api.lead(team);
                JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(10));
                int[] status = new int[1];
                RaceTest.raceAll(() -> agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText())),
                        () -> status[0] = api().body(assignment(manual, false)).post("/api/v1/leads/{id}/assign", lead).statusCode());
                // whichever came first, the manager's choice stands: accepted then reassigned, or cancelled then assigned
                assertThat(status[0]).isEqualTo(200);
                assertThat(Api.getLead(lead).getString("ownerRepId")).isEqualTo(manual);
            }
            // the pull: the offered rep turns BUSY (nothing pushed) and pulls while the manager assigns
            agent.send(Map.of("type", "status", "status", "BUSY"));
            agent.await("status");
            for (int round = 0; round < 4; round++) {
                String lead = Api.lead(team);
                int[] status = new int[1];
                RaceTest.raceAll(() -> agent.send(Map.of("type", "pull")),
                        () -> status[0] = api().body(assignment(manual, false)).post("/api/v1/leads/{id}/assign", lead).statusCode());
                assertThat(status[0]).isEqualTo(200);
                assertThat(Api.getLead(lead).getString("ownerRepId")).isEqualTo(manual);
            }
        }
        Database db = new Database(pool);
        await().atMost(Duration.ofSeconds(5)).until(() -> Api.getRep(offered).getInt("activeLoad") == 0);
        assertThat(Api.getRep(manual).getInt("activeLoad")).isEqualTo(8);
        assertThat(db.count("SELECT count(*) FROM lead WHERE team = $1 AND status = 'ASSIGNED' AND owner_rep_id = $2", team, manual))
                .isEqualTo(8);
        assertThat(db.count("SELECT count(*) FROM offer o JOIN lead l ON l.id = o.lead_id WHERE l.team = $1 AND o.state = 'OPEN'", team))
                .isZero();
    }

    @Test
    void heldLeadsAreRequeuedAndClosedInBulkWithPerLeadResults() {
        String team = Api.newTeam();
        Api.rep(team, "territories", List.of("FR"));
        String first = Api.lead(team, "country", "DE");
        String second = Api.lead(team, "country", "DE");
        String queued = Api.lead(team, "country", "FR");
        for (String lead : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(Api.getLead(lead).getString("status")));
        }
        String unknown = UUID.randomUUID().toString();
        JsonPath requeued = api().body(Map.of("ids", List.of(first, queued, unknown), "reason", "new rep next week"))
                .post("/api/v1/leads/held/requeue").then().statusCode(200).extract().jsonPath();
        assertThat(requeued.getInt("done")).isEqualTo(1);
        assertThat(requeued.getList("results.result")).containsExactly("REQUEUED", "NOT_HELD", "NOT_FOUND");
        assertThat(requeued.getString("results[1].status")).isIn("QUEUED", "OFFERED");
        JsonObject event = eventData(first, "lead.requeued");
        assertThat(event.getString("cause")).isEqualTo("MANUAL");
        assertThat(event.getString("reason")).isEqualTo("new rep next week");
        assertThat(event.getString("by")).isEqualTo("leadrouter.api-keys #1");
        // nobody qualifies still: the drain holds it again
        await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(Api.getLead(first).getString("status")));

        api().body(Map.of("team", team, "holdReason", "NO_QUALIFIED_REP")).post("/api/v1/leads/held/close").then().statusCode(400);
        api().body(Map.of("ids", List.of(first), "team", team, "outcome", "DISQUALIFIED")).post("/api/v1/leads/held/close").then()
                .statusCode(400).body("code", equalTo("INVALID_SELECTION"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(UUID.randomUUID().toString());
        }
        api().body(Map.of("ids", tooMany)).post("/api/v1/leads/held/requeue").then().statusCode(400);
        JsonPath closed = api().body(Map.of("team", team, "holdReason", "NO_QUALIFIED_REP", "outcome", "DISQUALIFIED"))
                .post("/api/v1/leads/held/close").then().statusCode(200).extract().jsonPath();
        assertThat(closed.getInt("done")).isEqualTo(2);
        assertThat(closed.getList("results.id")).containsExactlyInAnyOrder(first, second);
        for (String lead : List.of(first, second)) {
            JsonPath stored = Api.getLead(lead);
            assertThat(stored.getString("status")).isEqualTo("CLOSED");
            assertThat(stored.getString("outcome")).isEqualTo("DISQUALIFIED");
        }
    }

    @Test
    void aPausedRepIsOfferedNothingCannotPullAndKeepsItsLeads() {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 3);
        try (AgentClient agent = online(rep)) {
            String kept = Api.lead(team);
            JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(kept), Duration.ofSeconds(10));
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            agent.await("assigned");

            api().body(Map.of("reason", "coaching session")).post("/api/v1/reps/{id}/pause", rep).then().statusCode(200)
                    .body("paused.reason", equalTo("coaching session")).body("paused.by", equalTo("leadrouter.api-keys #1"));
            JsonNode paused = agent.await("paused");
            assertThat(paused.path("paused").asBoolean()).isTrue();
            assertThat(paused.path("reason").asText()).isEqualTo("coaching session");
            try (AgentClient tab = AgentClient.connect(root, Api.token(rep))) {
                assertThat(tab.await("welcome").path("paused").asText()).isEqualTo("coaching session");
            }
            String waiting = Api.lead(team);
            assertThat(agent.receives("offer", o -> o.path("lead").path("id").asText().equals(waiting), NONE_WITHIN)).isFalse();
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("error").path("code").asText()).isEqualTo("PAUSED");
            assertThat(Api.getLead(kept).getString("ownerRepId")).isEqualTo(rep);
            assertThat(Api.getLead(waiting).getString("status")).isEqualTo("QUEUED");
            // a manager's assignment to a paused rep names the pause, and may force it
            String other = Api.lead(team);
            api().body(assignment(rep, false)).post("/api/v1/leads/{id}/assign", other).then().statusCode(422)
                    .body("errors[0].reason", containsString("PAUSED"));

            api().post("/api/v1/reps/{id}/resume", rep).then().statusCode(200).body("paused", equalTo(null));
            assertThat(agent.await("paused", p -> !p.path("paused").asBoolean(), Duration.ofSeconds(5))).isNotNull();
            agent.await("offer", o -> !o.path("lead").path("id").asText().equals(kept), Duration.ofSeconds(10));
        }
        Database db = new Database(pool);
        assertThat(db.count("SELECT count(*) FROM lifecycle_event WHERE rep_id = $1 AND type IN ('rep.paused', 'rep.resumed')", rep))
                .isEqualTo(2);
        api().body(Map.of("reason", "x")).post("/api/v1/reps/{id}/pause", "rep-nobody").then().statusCode(404);
        api().body(Map.of()).post("/api/v1/reps/{id}/pause", rep).then().statusCode(400);
    }

    @Test
    void declineReasonsShowInTheLeadItsTraceAndTheRepsStats() {
        String team = Api.newTeam();
        String first = Api.rep(team);
        String second = Api.rep(team);
        String lead;
        String decliner;
        try (AgentClient a = online(first); AgentClient b = online(second)) {
            lead = Api.lead(team);
            String id = lead;
            JsonNode offer = awaitAnyOffer(List.of(a, b), id);
            AgentClient offered = a.all("offer").isEmpty() ? b : a;
            decliner = offered == a ? first : second;
            offered.send(Map.of("type", "decline", "offerId", offer.path("offerId").asText(), "reason", "wrong region"));
            offered.await("offer-withdrawn");
            AgentClient other = offered == a ? b : a;
            other.await("offer", o -> o.path("lead").path("id").asText().equals(id), Duration.ofSeconds(10));
        }
        JsonPath stored = Api.getLead(lead);
        assertThat(stored.getString("declines[0].repId")).isEqualTo(decliner);
        assertThat(stored.getString("declines[0].reason")).isEqualTo("wrong region");
        assertThat(stored.getInt("declines[0].attempt")).isEqualTo(1);
        assertThat(stored.getString("id")).isEqualTo(lead);
        JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().extract().jsonPath();
        assertThat(trace.getString("[1].candidates.find { it.repId == '" + decliner + "' }.detail"))
                .isEqualTo("rep declined this lead before: wrong region");
        api().queryParam("team", team).get("/api/v1/stats/declines").then().statusCode(200)
                .body("reps[0].repId", equalTo(decliner)).body("reps[0].declined", equalTo(1))
                .body("reps[0].byReason.'wrong region'", equalTo(1));
        api().queryParam("period", "year").get("/api/v1/stats/declines").then().statusCode(400);
    }

    private static JsonNode awaitAnyOffer(List<AgentClient> agents, String lead) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (AgentClient agent : agents) {
                if (agent.receives("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofMillis(20))) {
                    return agent.all("offer").get(0);
                }
            }
        }
        throw new AssertionError("no offer of " + lead);
    }
}
