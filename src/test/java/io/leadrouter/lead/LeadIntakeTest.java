package io.leadrouter.lead;

import static io.leadrouter.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class LeadIntakeTest {

    @Inject
    Pool pool;
    Database db;
    String team;

    @BeforeEach
    void setUp() {
        db = new Database(pool);
        team = Api.newTeam();
    }

    @Test
    void createsALeadWithLocationAndServerOwnedFields() {
        Response created = api().body(Api.obj("name", "Jane Doe", "email", "jane@example.com", "company", "Acme",
                "country", "US", "region", "CA", "language", "en", "value", 1200.5, "score", 80,
                "requiredSkills", Map.of("saas", 3), "attributes", Map.of("licence", "enterprise"), "team", team))
                .post("/api/v1/leads");
        created.then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/leads/" + created.path("id")))
                .body("status", equalTo("QUEUED"))
                .body("ownerRepId", nullValue())
                .body("priority", equalTo(4))
                .body("attempts", equalTo(0))
                .body("loadPoints", equalTo(1))
                .body("createdAt", notNullValue())
                .body("requiredSkills.saas", equalTo(3))
                .body("attributes.licence", equalTo("enterprise"))
                .body("value", equalTo(1200.5f));

        api().get("/api/v1/leads/{id}", created.<String> path("id")).then().statusCode(200)
                .body("email", equalTo("jane@example.com")).body("team", equalTo(team));
    }

    @Test
    void replayOfTheSameExternalIdReturnsTheOriginalLead() {
        Map<String, Object> lead = Map.of("externalId", "crm-" + UUID.randomUUID(), "name", "Ann", "team", team, "value", 100);
        Response first = api().body(lead).post("/api/v1/leads");
        first.then().statusCode(201);
        Response replay = api().body(Map.of("value", 100.00, "team", team, "name", "Ann", "externalId", lead.get("externalId")))
                .post("/api/v1/leads");
        replay.then().statusCode(200);
        assertThat(replay.jsonPath().getMap("")).isEqualTo(first.jsonPath().getMap(""));
    }

    @Test
    void aCreatedLeadIsAnsweredExactlyAsItsReplayShowsTheStoredLead() {
        Map<String, Object> lead = Api.obj("externalId", "crm-" + UUID.randomUUID(), "name", "Ann", "team", team,
                "value", 12.3, "requiredSkills", Map.of("saas", 3, "ai", 2),
                "attributes", Api.obj("zeta", 1.5, "a", Api.obj("yy", 1, "b", List.of(2, "x")), "middle", "m", "n", true));
        Response first = api().body(lead).post("/api/v1/leads");
        first.then().statusCode(201);
        Response replay = api().body(lead).post("/api/v1/leads");
        replay.then().statusCode(200);
        // the replay is read from the table: the created answer shows the row as stored, to the byte
        assertThat(first.asString()).isEqualTo(replay.asString());
    }

    @Test
    void theIdempotencyKeyHeaderWinsOverExternalId() {
        String key = "key-" + UUID.randomUUID();
        String id = api().header("Idempotency-Key", key).body(Map.of("name", "A", "externalId", "e1-" + key, "team", team))
                .post("/api/v1/leads").then().statusCode(201).extract().path("id");
        api().header("Idempotency-Key", key).body(Map.of("name", "A", "externalId", "e1-" + key, "team", team))
                .post("/api/v1/leads").then().statusCode(200).body("id", equalTo(id));
        // the same externalId under another key is another lead
        api().header("Idempotency-Key", key + "-other").body(Map.of("name", "A", "externalId", "e1-" + key, "team", team))
                .post("/api/v1/leads").then().statusCode(201);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndChangesNothing() {
        String externalId = "crm-" + UUID.randomUUID();
        String id = api().body(Map.of("externalId", externalId, "name", "Ann", "team", team)).post("/api/v1/leads")
                .then().statusCode(201).extract().path("id");
        api().body(Map.of("externalId", externalId, "name", "Annabel", "team", team)).post("/api/v1/leads")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertThat(Api.getLead(id).getString("name")).isEqualTo("Ann");
    }

    @Test
    void concurrentPostsOfOneKeyCreateOneLead() throws Exception {
        racePostsOfOneKey();
    }

    @Test
    void concurrentPostsOfOneKeyToAStaffedTeamCreateOneLeadWithOneCreatedEvent() throws Exception {
        // a team seen with an active rep takes its leads in one statement that commits alone: the unique key still
        // decides the race, and the lead's event is written by that statement
        Api.rep(team);
        api().body(Map.of("name", "First", "team", team)).post("/api/v1/leads").then().statusCode(201);
        String id = racePostsOfOneKey();
        assertThat(db.count("SELECT count(*) FROM lifecycle_event WHERE lead_id = $1::uuid AND type = 'lead.created'", id))
                .isEqualTo(1);
    }

    /** 32 posts of one key at once, 16 in flight: exactly one creates the lead, whose id every answer carries. */
    private String racePostsOfOneKey() throws Exception {
        String key = "race-" + UUID.randomUUID();
        Map<String, Object> lead = Map.of("name", "Racer", "team", team);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Response> responses = new ArrayList<>();
        try {
            List<Callable<Response>> posts = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                posts.add(() -> api().header("Idempotency-Key", key).body(lead).post("/api/v1/leads"));
            }
            for (Future<Response> f : pool.invokeAll(posts)) {
                responses.add(f.get());
            }
            assertThat(responses).extracting(Response::statusCode).containsOnly(200, 201);
            assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
            assertThat(responses).extracting(r -> r.<String> path("id")).containsOnly(responses.get(0).<String> path("id"));
        } finally {
            pool.shutdown();
        }
        assertThat(db.count("SELECT count(*) FROM lead WHERE idempotency_key = $1", "key:" + key)).isEqualTo(1);
        return responses.get(0).path("id");
    }

    @Test
    void batchReportsEachItemCreatedReplayedOrRefused() {
        String dup = "crm-" + UUID.randomUUID();
        api().body(Map.of("externalId", dup, "name", "Existing", "team", team)).post("/api/v1/leads").then().statusCode(201);
        List<Object> batch = List.of(
                Map.of("name", "One", "team", team),
                Map.of("externalId", dup, "name", "Existing", "team", team),
                Map.of("email", "not-an-email", "team", team),
                Map.of("name", "Two", "team", team, "status", "ASSIGNED"),
                Map.of("externalId", dup, "name", "Changed", "team", team),
                "not a lead");
        api().body(batch).post("/api/v1/leads/batch").then().statusCode(200)
                .body("created", equalTo(1)).body("replayed", equalTo(1)).body("errors", equalTo(4))
                .body("results", hasSize(6))
                .body("results[0].outcome", equalTo("CREATED")).body("results[0].lead.name", equalTo("One"))
                .body("results[1].outcome", equalTo("REPLAYED")).body("results[1].lead.name", equalTo("Existing"))
                .body("results[2].outcome", equalTo("ERROR")).body("results[2].error.errors[0].field", equalTo("email"))
                .body("results[3].error.code", equalTo("READ_ONLY_FIELD"))
                .body("results[4].error.code", equalTo("IDEMPOTENCY_KEY_REUSED"))
                .body("results[5].error.code", equalTo("INVALID_FIELD"));
        assertThat(db.count("SELECT count(*) FROM lead WHERE team = $1", team)).isEqualTo(2);
    }

    @Test
    void batchWithAHeaderKeyReplaysAsAWhole() {
        String key = "batch-" + UUID.randomUUID();
        List<Object> batch = List.of(Map.of("name", "A", "team", team), Map.of("name", "B", "team", team));
        List<String> ids = api().header("Idempotency-Key", key).body(batch).post("/api/v1/leads/batch")
                .then().statusCode(200).body("created", equalTo(2)).extract().path("results.lead.id");
        List<String> replayed = api().header("Idempotency-Key", key).body(batch).post("/api/v1/leads/batch")
                .then().statusCode(200).body("replayed", equalTo(2)).extract().path("results.lead.id");
        assertThat(replayed).isEqualTo(ids);
    }

    @Test
    void batchTakesAtMostAThousandLeads() {
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("name", "L" + i, "team", team));
        }
        api().body(tooMany).post("/api/v1/leads/batch").then().statusCode(400).body("code", equalTo("INVALID_BATCH"));
        api().body(List.of()).post("/api/v1/leads/batch").then().statusCode(400).body("code", equalTo("INVALID_BATCH"));
        api().body(tooMany.subList(0, 1000)).post("/api/v1/leads/batch").then().statusCode(200).body("created", equalTo(1000));
        assertThat(db.count("SELECT count(*) FROM lead WHERE team = $1", team)).isEqualTo(1000);
    }

    @Test
    void listsLeadsByStatusOwnerAndTeamNewestFirst() {
        String first = Api.lead(team, "name", "first");
        String second = Api.lead(team, "name", "second");
        api().queryParam("team", team).queryParam("status", "QUEUED").queryParam("limit", 10).get("/api/v1/leads")
                .then().statusCode(200).body("id", equalTo(List.of(second, first)));
        api().queryParam("team", team).queryParam("limit", 1).get("/api/v1/leads")
                .then().statusCode(200).body("id", equalTo(List.of(second)));
        api().queryParam("team", team).queryParam("status", "ASSIGNED").get("/api/v1/leads")
                .then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void crmClosesAQueuedLeadAndAClosedLeadStaysClosed() {
        String id = Api.lead(team);
        api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", id).then().statusCode(200)
                .body("status", equalTo("CLOSED")).body("outcome", equalTo("DISQUALIFIED")).body("closedAt", notNullValue());
        api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", id).then().statusCode(200);
        api().body(Map.of("outcome", "CONVERTED")).post("/api/v1/leads/{id}/close", id).then().statusCode(409)
                .body("code", equalTo("ALREADY_CLOSED"));
    }

    @Test
    void callsWithoutAValidApiKeyAreRefused() {
        given().contentType("application/json").body(Map.of("name", "x", "team", team)).post("/api/v1/leads")
                .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer wrong").get("/api/v1/leads").then().statusCode(401);
        given().header("Authorization", "Bearer second-test-key").get("/api/v1/queue").then().statusCode(200);
        String rep = Api.rep(team);
        given().header("Authorization", "Bearer " + Api.token(rep)).get("/api/v1/leads").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
        assertThat(db.count("SELECT count(*) FROM lead WHERE team = $1", team)).isZero();
    }

    @Test
    void unknownLeadIsAProblem() {
        api().get("/api/v1/leads/{id}", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
        api().body(Map.of("outcome", "CONVERTED")).post("/api/v1/leads/{id}/close", UUID.randomUUID()).then().statusCode(404);
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
