package io.leadrouter.rep;

import static io.leadrouter.support.Api.api;
import static io.leadrouter.support.Api.obj;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;

/** {@code PUT /api/v1/reps}: many reps in one call, as JSON or CSV, each as a single PUT would store it. */
@QuarkusTest
class BulkRosterTest {

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URI root;

    static RequestSpecification csv() {
        return given().header("Authorization", "Bearer " + Api.KEY).contentType("text/csv; charset=UTF-8");
    }

    @Test
    void aJsonRosterStoresTheValidRepsAndRefusesEachInvalidOneOnItsOwn() {
        String team = Api.newTeam();
        String existing = Api.rep(team, "maxLoad", 1);
        String ann = Api.newRepId();
        String bob = Api.newRepId();
        List<Object> roster = List.of(
                obj("id", ann, "name", "Ann", "team", team, "skills", Map.of("saas", 4), "languages", List.of("en", "de"), "maxLoad", 3),
                obj("id", existing, "name", "Existing, replaced", "team", team, "maxLoad", 2),
                obj("id", bob, "team", team, "tier", 11),
                obj("name", "No id", "team", team),
                "not a rep",
                obj("id", ann, "team", team),
                obj("id", "has spaces", "team", team),
                obj("id", Api.newRepId(), "team", team, "presence", "AVAILABLE"));

        JsonPath answer = api().body(roster).put("/api/v1/reps").then().statusCode(200)
                .body("created", equalTo(1)).body("replaced", equalTo(1)).body("errors", equalTo(6))
                .extract().jsonPath();

        assertThat(answer.getList("results.index", Integer.class)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(answer.getList("results.outcome")).containsExactly("CREATED", "REPLACED", "ERROR", "ERROR", "ERROR", "ERROR",
                "ERROR", "ERROR");
        assertThat(answer.getList("results.id")).startsWith(ann, existing, bob);
        assertThat(answer.getString("results[2].error.code")).isEqualTo("VALIDATION_FAILED");
        assertThat(answer.getString("results[2].error.errors[0].field")).isEqualTo("tier");
        assertThat(answer.getString("results[3].error.errors[0].field")).isEqualTo("id");
        assertThat(answer.getString("results[4].error.code")).isEqualTo("INVALID_FIELD");
        assertThat(answer.getString("results[5].error.code")).isEqualTo("DUPLICATE_REP");
        assertThat(answer.getString("results[5].error.detail")).contains("index 0");
        assertThat(answer.getString("results[6].error.errors[0].field")).isEqualTo("id");
        assertThat(answer.getString("results[7].error.code")).isEqualTo("READ_ONLY_FIELD");

        api().get("/api/v1/reps/{id}", ann).then().statusCode(200).body("name", equalTo("Ann")).body("skills.saas", equalTo(4))
                .body("languages", equalTo(List.of("en", "de"))).body("maxLoad", equalTo(3)).body("presence", equalTo("OFFLINE"));
        api().get("/api/v1/reps/{id}", existing).then().statusCode(200).body("name", equalTo("Existing, replaced"))
                .body("maxLoad", equalTo(2));
        api().get("/api/v1/reps/{id}", bob).then().statusCode(404);

        Database db = new Database(pool);
        assertThat(db.rows("SELECT rep_id, data ->> 'created' FROM lifecycle_event WHERE type = 'rep.updated' AND team = $1 ORDER BY id",
                team).stream().map(row -> row.getString(0) + " " + row.getString(1)).toList())
                .containsExactly(existing + " true", ann + " true", existing + " false");
    }

    @Test
    void aCsvRosterReadsEveryFieldOfTheDocument() {
        String team = Api.newTeam();
        String ann = Api.newRepId();
        String csv = """
                id,name,email,team,tier,skills,languages,territories,timezone,workingHours.mon,workingHours.fri,outOfOffice,maxLoad,caps.day,caps.week,weight,active,crmIds.salesforce,crmIds.hubspot
                %s,"Lee, Ann",ann@example.com,%s,1,saas:4;fintech:2,en;de,DE;AT;US-CA,Europe/Berlin,09:00-12:00;13:00-17:00,09:00-13:00,2026-12-24T00:00:00Z/2026-12-27T00:00:00Z,3,10,40,1.5,true,0055g00000AbCdEAAZ,81234567
                """.formatted(ann, team);

        csv().body(csv).put("/api/v1/reps").then().statusCode(200).body("created", equalTo(1))
                .body("results[0].row", equalTo(2)).body("results[0].line", equalTo(2)).body("results[0].id", equalTo(ann));

        api().get("/api/v1/reps/{id}", ann).then().statusCode(200)
                .body("name", equalTo("Lee, Ann")).body("email", equalTo("ann@example.com")).body("team", equalTo(team))
                .body("tier", equalTo(1)).body("skills", equalTo(Map.of("saas", 4, "fintech", 2)))
                .body("languages", equalTo(List.of("en", "de"))).body("territories", equalTo(List.of("DE", "AT", "US-CA")))
                .body("timezone", equalTo("Europe/Berlin"))
                .body("workingHours.mon", equalTo(List.of(Map.of("start", "09:00", "end", "12:00"), Map.of("start", "13:00", "end", "17:00"))))
                .body("workingHours.fri[0].end", equalTo("13:00"))
                .body("outOfOffice[0].from", equalTo("2026-12-24T00:00:00Z")).body("outOfOffice[0].to", equalTo("2026-12-27T00:00:00Z"))
                .body("maxLoad", equalTo(3)).body("caps.day", equalTo(10)).body("caps.week", equalTo(40)).body("caps.month", equalTo(null))
                .body("weight", equalTo(1.5f)).body("active", equalTo(true))
                .body("crmIds.salesforce", equalTo("0055g00000AbCdEAAZ")).body("crmIds.hubspot", equalTo("81234567"));
    }

    @Test
    void aCsvRosterRefusesBadRowsWithTheirRowAndLineAndStoresTheRest() {
        String team = Api.newTeam();
        String good = Api.newRepId();
        String multiline = Api.newRepId();
        String swallowed = Api.newRepId();
        String csv = "id,team,skills,maxLoad\r\n"
                + good + "," + team + ",saas:4,2\r\n"
                + Api.newRepId() + "," + team + ",saas:high,1\r\n"
                + Api.newRepId() + "," + team + "\r\n"
                + multiline + "," + team + ",\"saas:1;\r\nfintech:2\",1\r\n"
                + "\"unclosed," + team + ",,1\r\n"
                + swallowed + "," + team + ",,1\r\n";

        JsonPath answer = csv().body(csv).put("/api/v1/reps").then().statusCode(200)
                .body("created", equalTo(2)).body("errors", equalTo(3)).extract().jsonPath();

        assertThat(answer.getList("results.outcome")).containsExactly("CREATED", "ERROR", "ERROR", "CREATED", "ERROR");
        assertThat(answer.getList("results.row", Integer.class)).containsExactly(2, 3, 4, 5, 6);
        assertThat(answer.getList("results.line", Integer.class)).containsExactly(2, 3, 4, 5, 7);
        assertThat(answer.getString("results[1].error.errors[0].field")).isEqualTo("skills.saas");
        assertThat(answer.getString("results[2].error.code")).isEqualTo("MALFORMED_ROW");
        assertThat(answer.getString("results[2].error.detail")).contains("2 fields, the header 4");
        // the open quote swallows the rest of the file: one malformed row, the rep after it never arrives
        assertThat(answer.getString("results[4].error.detail")).contains("unbalanced quotes");
        api().get("/api/v1/reps/{id}", good).then().statusCode(200).body("skills.saas", equalTo(4));
        api().get("/api/v1/reps/{id}", multiline).then().statusCode(200).body("skills", equalTo(Map.of("saas", 1, "fintech", 2)));
        api().get("/api/v1/reps/{id}", swallowed).then().statusCode(404);
    }

    @Test
    void aCallMalformedAsAWholeStoresNothing() {
        String team = Api.newTeam();
        String id = Api.newRepId();
        api().body(obj("id", id, "team", team)).put("/api/v1/reps").then().statusCode(400).body("code", equalTo("INVALID_ROSTER"));
        api().body("[]").put("/api/v1/reps").then().statusCode(400).body("code", equalTo("INVALID_ROSTER"));
        api().body("[{\"id\": \"" + id + "\", \"team\": \"" + team + "\"}, {\"id\": ").put("/api/v1/reps").then().statusCode(400)
                .body("code", equalTo("MALFORMED_JSON"));
        csv().body("id,team,colour\n" + id + "," + team + ",red\n").put("/api/v1/reps").then().statusCode(400)
                .body("code", equalTo("UNKNOWN_COLUMN")).body("errors[0].field", equalTo("colour"));
        csv().body("name,team\nAnn," + team + "\n").put("/api/v1/reps").then().statusCode(400).body("code", equalTo("MISSING_COLUMN"));
        csv().body("").put("/api/v1/reps").then().statusCode(400).body("code", equalTo("INVALID_CSV"));
        List<Object> tooMany = new ArrayList<>();
        IntStream.range(0, 10_001).forEach(i -> tooMany.add(obj("id", id + "-" + i, "team", team)));
        api().body(tooMany).put("/api/v1/reps").then().statusCode(400).body("code", equalTo("TOO_MANY_REPS"));

        api().queryParam("team", team).get("/api/v1/reps").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aRosterBodyOverItsLimitIsRefusedBeforeItIsSent() throws Exception {
        String huge = "[" + "{\"id\": \"x\"},".repeat(17 * 1024 * 1024 / 12) + "{\"id\": \"x\"}]";
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/api/v1/reps")).version(HttpClient.Version.HTTP_1_1)
                .expectContinue(true).header("Authorization", "Bearer " + Api.KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(huge)).build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aRepFromTheBulkCallIsOfferedLeadsAndADeactivationByItWithdrawsTheOffer() {
        String team = Api.newTeam();
        String ann = Api.newRepId();
        api().body(List.of(obj("id", ann, "team", team, "skills", Map.of("saas", 3)))).put("/api/v1/reps").then().statusCode(200)
                .body("created", equalTo(1));
        String lead;
        try (AgentClient agent = AgentClient.connect(root, Api.token(ann))) {
            agent.await("welcome");
            lead = Api.lead(team, "requiredSkills", Map.of("saas", 3));

            JsonNode offer = agent.await("offer");
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(lead);

            api().body(List.of(obj("id", ann, "team", team, "active", false))).put("/api/v1/reps").then().statusCode(200)
                    .body("replaced", equalTo(1));
            assertThat(agent.awaitClose(Duration.ofSeconds(5))).isEqualTo(4403);
            assertThat(Api.getLead(lead).getString("status")).isEqualTo("QUEUED");
        }
        Database db = new Database(pool);
        assertThat(db.rows("SELECT state FROM offer WHERE lead_id = $1::uuid", lead).get(0).getString(0)).isEqualTo("CANCELLED");
        assertThat(db.rows("SELECT data ->> 'reason' FROM lifecycle_event WHERE type = 'rep.status_changed' AND rep_id = $1", ann)
                .stream().map(row -> row.getString(0)).toList()).contains("DEACTIVATED");
    }

    @Test
    void aRepAddedInBulkBringsBackTheLeadsNobodyQualifiedFor() {
        String team = Api.newTeam();
        Api.rep(team, "skills", Map.of("saas", 1));
        String lead = Api.lead(team, "requiredSkills", Map.of("fintech", 4));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "HELD".equals(Api.getLead(lead).getString("status")));

        api().body(List.of(obj("id", Api.newRepId(), "team", team, "skills", Map.of("fintech", 5)))).put("/api/v1/reps").then()
                .statusCode(200).body("created", equalTo(1));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !"HELD".equals(Api.getLead(lead).getString("status")));
        Database db = new Database(pool);
        assertThat(db.rows("SELECT data ->> 'cause' FROM lifecycle_event WHERE type = 'lead.requeued' AND lead_id = $1::uuid", lead)
                .stream().map(row -> row.getString(0)).toList()).contains("REP_CHANGED");
    }
}
