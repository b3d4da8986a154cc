package io.leadrouter.lead;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Row;

/** A lead sent in while an open lead of its team has its e-mail (or the policy's keys) is answered with that lead. */
@QuarkusTest
class DuplicateIntakeTest extends SocketTest {

    Database db;
    String team;

    @BeforeEach
    void setUp() {
        db = new Database(pool);
        team = Api.newTeam();
    }

    @Test
    void theSameEmailWhileTheLeadIsOpenIsAnsweredWithItAndRecorded() {
        String first = Api.lead(team, "email", "Ann@Acme.example", "name", "Ann");
        Response again = api().body(Map.of("team", team, "email", "ann@ACME.example", "name", "Ann Again", "source", "webinar"))
                .post("/api/v1/leads");
        again.then().statusCode(200)
                .header("Link", "</api/v1/leads/" + first + ">; rel=\"duplicate-of\"")
                .body("id", equalTo(first)).body("name", equalTo("Ann")).body("status", equalTo("QUEUED"))
                .body("duplicateOf.leadId", equalTo(first)).body("duplicateOf.by", equalTo(List.of("email")));
        assertThat(leadsOfTeam()).isEqualTo(1);

        List<Row> events = db.rows("SELECT data FROM lifecycle_event WHERE type = 'lead.duplicate' AND lead_id = $1",
                UUID.fromString(first));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getJsonObject("data").getJsonArray("by").getList()).containsExactly("email");
        assertThat(events.get(0).getJsonObject("data").getJsonObject("duplicate").getMap())
                .containsEntry("email", "ann@ACME.example").containsEntry("name", "Ann Again").containsEntry("source", "webinar");
    }

    @Test
    void aClosedLeadOrOneOutsideTheWindowOrAnotherTeamsIsNoDuplicate() {
        String closed = Api.lead(team, "email", "bo@acme.example");
        api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", closed).then().statusCode(200);
        String second = Api.lead(team, "email", "bo@acme.example");
        assertThat(second).isNotEqualTo(closed);

        // 31 days old: outside the default 30-day window
        db.rows("UPDATE lead SET created_at = now() - interval '31 days' WHERE id = $1", UUID.fromString(second));
        String third = Api.lead(team, "email", "bo@acme.example");
        assertThat(third).isNotEqualTo(second);

        String elsewhere = Api.lead(Api.newTeam(), "email", "bo@acme.example");
        assertThat(elsewhere).isNotEqualTo(third);
    }

    @Test
    void anIdempotentReplayStaysAReplay() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> lead = Map.of("team", team, "email", "cy@acme.example", "company", "Acme");
        String id = api().header("Idempotency-Key", key).body(lead).post("/api/v1/leads").then().statusCode(201).extract().path("id");
        api().header("Idempotency-Key", key).body(lead).post("/api/v1/leads").then().statusCode(200)
                .body("id", equalTo(id)).body("duplicateOf", equalTo(null));
    }

    @Test
    void racingDuplicatesCreateOneLeadAndTheOthersAreAnsweredWithIt() throws Exception {
        int senders = 16;
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        try {
            List<Callable<Response>> posts = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                Map<String, Object> lead = Map.of("team", team, "email", "race@acme.example", "company", "Race " + i);
                posts.add(() -> api().body(lead).post("/api/v1/leads"));
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> answer : threads.invokeAll(posts)) {
                answers.add(answer.get());
            }
            List<Response> created = answers.stream().filter(r -> r.statusCode() == 201).toList();
            assertThat(created).hasSize(1);
            String id = created.get(0).path("id");
            for (Response answer : answers) {
                if (answer.statusCode() != 201) {
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.<String>path("duplicateOf.leadId")).isEqualTo(id);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(leadsOfTeam()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM lifecycle_event WHERE type = 'lead.duplicate' AND team = $1", team))
                .isEqualTo(senders - 1);
    }

    @Test
    void twoItemsOfOneBatchWithTheSameEmailCreateOneLead() {
        api().body(List.of(Map.of("team", team, "email", "di@acme.example", "name", "Di"),
                Map.of("team", team, "email", "DI@acme.example", "name", "Di Again"),
                Map.of("team", team, "email", "ed@acme.example", "name", "Ed")))
                .post("/api/v1/leads/batch").then().statusCode(200)
                .body("created", equalTo(2)).body("duplicates", equalTo(1)).body("errors", equalTo(0))
                .body("results[1].outcome", equalTo("DUPLICATE"))
                .body("results[1].lead.name", equalTo("Di"))
                .body("results[1].duplicateOf.leadId", equalTo(api().get("/api/v1/leads?team=" + team).then().extract()
                        .path("find { it.name == 'Di' }.id")));
        assertThat(leadsOfTeam()).isEqualTo(2);
    }

    @Test
    void batchItemsThatDuplicateAnOpenLeadAreAnsweredWithItWhileANewOneIsCreated() {
        String open = Api.lead(team, "email", "cy@acme.example", "name", "Cy");
        api().body(List.of(Map.of("team", team, "email", "CY@acme.example", "name", "Cy Again"),
                Map.of("team", team, "email", "cy@acme.example", "name", "Cy Thrice"),
                Map.of("team", team, "email", "dee@acme.example", "name", "Dee")))
                .post("/api/v1/leads/batch").then().statusCode(200)
                .body("created", equalTo(1)).body("duplicates", equalTo(2))
                .body("results[0].duplicateOf.leadId", equalTo(open)).body("results[1].duplicateOf.leadId", equalTo(open))
                .body("results[1].lead.name", equalTo("Cy")).body("results[2].outcome", equalTo("CREATED"))
                .body("results[2].lead.name", equalTo("Dee"));
        assertThat(leadsOfTeam()).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM lifecycle_event WHERE type = 'lead.duplicate' AND lead_id = $1",
                UUID.fromString(open))).isEqualTo(2);
    }

    @Test
    void theOwnerOfAnAssignedLeadIsToldOnTheirSocket() {
        String rep = Api.rep(team);
        try (AgentClient agent = online(rep)) {
            String lead = Api.lead(team, "email", "fay@acme.example");
            JsonNode offer = agent.await("offer");
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            agent.await("assigned");
            api().body(Map.of("team", team, "email", "fay@acme.example", "phone", "+49 30 1234"))
                    .post("/api/v1/leads").then().statusCode(200).body("ownerRepId", equalTo(rep));
            JsonNode told = agent.await("duplicate", Duration.ofSeconds(10));
            assertThat(told.path("leadId").asText()).isEqualTo(lead);
            assertThat(told.path("by").get(0).asText()).isEqualTo("email");
            assertThat(told.path("duplicate").path("phone").asText()).isEqualTo("+49 30 1234");
        }
    }

    @Test
    void thePolicyChoosesTheKeysOrTurnsTheCheckOff() {
        try {
            api().body(Map.of("duplicates", Map.of("keys", List.of("phone", "attributes.accountId"), "window", "P7D")))
                    .put("/api/v1/routing/policy").then().statusCode(200);
            String first = Api.lead(team, "phone", "+49 (30) 555-01", "attributes", Map.of("accountId", "A-1"));
            api().body(Map.of("team", team, "phone", "+4930 55501", "company", "Other")).post("/api/v1/leads").then()
                    .statusCode(200).body("duplicateOf.leadId", equalTo(first)).body("duplicateOf.by", equalTo(List.of("phone")));
            api().body(Map.of("team", team, "company", "Third", "attributes", Map.of("accountId", "A-1"))).post("/api/v1/leads")
                    .then().statusCode(200).body("duplicateOf.by", equalTo(List.of("attributes.accountId")));
            // the e-mail is no key of this policy
            Api.lead(team, "email", "gus@acme.example");
            Api.lead(team, "email", "gus@acme.example");

            api().body(Map.of("duplicates", Map.of("keys", List.of()))).put("/api/v1/routing/policy").then().statusCode(200);
            Api.lead(team, "phone", "+49 (30) 555-01");
            assertThat(leadsOfTeam()).isEqualTo(4);
        } finally {
            api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
        }
    }

    @Test
    void badDuplicateSettingsAreRefusedWithTheirPaths() {
        api().body(Map.of("duplicates", Map.of("keys", List.of("email", "fax", "attributes.", "email"), "window", "PT1S")))
                .put("/api/v1/routing/policy").then().statusCode(400)
                .body("errors.field", hasItems("duplicates.keys[1]", "duplicates.keys[2]", "duplicates.keys[3]", "duplicates.window"));
    }

    private long leadsOfTeam() {
        return db.count("SELECT count(*) FROM lead WHERE team = $1", team);
    }
}
