package io.leadrouter.security;

import static io.leadrouter.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * Attributes nested deep, fat or holding numbers no rule can compare: refused at intake with the field (per item in a
 * batch), before anything is stored, so no stored lead fails on its way out and every rep can still connect. Client JSON
 * of any kind nests at most 32 levels.
 */
@QuarkusTest
class NestingAndSizeTest extends SocketTest {

    /** An object nested {@code levels} deep: {"a": {"a": … 1 …}}. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{\"a\":1" + "}".repeat(levels);
    }

    static String lead(String team, String attributes) {
        return "{\"company\": \"Acme " + UUID.randomUUID() + "\", \"team\": \"" + team + "\", \"attributes\": " + attributes + "}";
    }

    private long leadsOf(String team) {
        return new Database(pool).count("SELECT count(*) FROM lead WHERE team = '" + team + "'");
    }

    @Test
    void attributesDeeperThanEightLevelsAreRefusedPerItemAndNothingOfThemIsStored() {
        String team = Api.newTeam();
        api().body(lead(team, nested(8))).post("/api/v1/leads").then().statusCode(201);
        api().body(lead(team, nested(9))).post("/api/v1/leads").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"))
                .body("errors[0].field", equalTo("attributes" + ".a".repeat(8)))
                .body("errors[0].reason", equalTo("nests deeper than 8 levels of objects and arrays"));
        JsonPath batch = api().body("[" + lead(team, nested(20)) + ", " + lead(team, "{\"list\": [[[[[[[[1]]]]]]]]}") + ", "
                + lead(team, "{\"fine\": true}") + "]").post("/api/v1/leads/batch").then().statusCode(200).extract().jsonPath();
        assertThat(batch.getList("results.outcome", String.class)).containsExactly("ERROR", "ERROR", "CREATED");
        assertThat(batch.getString("results[1].error.errors[0].field")).isEqualTo("attributes.list[0][0][0][0][0][0][0]");
        assertThat(leadsOf(team)).isEqualTo(2);
        // what is stored reads back whole
        assertThat(api().queryParam("team", team).get("/api/v1/leads").then().statusCode(200).extract().jsonPath()
                .getList("id")).hasSize(2);
    }

    @Test
    void jsonNestedHundredsDeepIsRefusedWholeBeforeAnythingIsStoredAndTheTeamsRepStillConnects() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        // a batch answered with an error after it was committed made a retrying CRM loop: now nothing is stored
        api().body("[" + lead(team, "{}") + ", " + lead(team, nested(997)) + "]").post("/api/v1/leads/batch").then().statusCode(400)
                .body("code", equalTo("LIMIT_EXCEEDED")).body("detail", containsString("32 levels"));
        api().body(lead(team, nested(998))).post("/api/v1/leads").then().statusCode(400).body("code", equalTo("LIMIT_EXCEEDED"));
        assertThat(leadsOf(team)).isZero();
        // a lead too deep to be written out again would have kept its rep from being welcomed
        try (AgentClient agent = online(rep)) {
            String lead = Api.lead(team);
            assertThat(agent.await("offer").path("lead").path("id").asText()).isEqualTo(lead);
        }
        // every kind of client JSON: rep documents and policies too
        api().body("{\"name\": \"x\", \"caps\": " + nested(40) + "}").put("/api/v1/reps/{id}", Api.newRepId()).then().statusCode(400)
                .body("code", equalTo("LIMIT_EXCEEDED"));
        api().body("{\"description\": \"deep\", \"teams\": " + nested(40) + "}").put("/api/v1/routing/policy").then().statusCode(400)
                .body("code", equalTo("LIMIT_EXCEEDED"));
    }

    @Test
    void aSocketFrameNestedDeepIsAnErrorFrameAndTheSocketGoesOn() {
        String team = Api.newTeam();
        try (AgentClient agent = online(Api.rep(team))) {
            agent.send("{\"type\": \"status\", \"status\": \"BUSY\", \"extra\": " + nested(40) + "}");
            JsonNode error = agent.await("error");
            assertThat(error.path("code").asText()).isEqualTo("BAD_FRAME");
            assertThat(error.path("message").asText()).contains("32 levels");
            agent.send(Map.of("type", "status", "status", "BUSY"));
            assertThat(agent.await("status").path("status").asText()).isEqualTo("BUSY");
        }
    }

    @Test
    void attributeTextIsAtMost4096CharactersAndAllAttributes16KilobytesAsJson() {
        String team = Api.newTeam();
        api().body(lead(team, "{\"notes\": \"" + "x".repeat(4096) + "\"}")).post("/api/v1/leads").then().statusCode(201);
        api().body(lead(team, "{\"notes\": \"" + "x".repeat(4097) + "\"}")).post("/api/v1/leads").then().statusCode(400)
                .body("errors[0].field", equalTo("attributes.notes")).body("errors[0].reason", equalTo("must be at most 4096 characters"));
        api().body(lead(team, "{\"deep\": {\"" + "k".repeat(4097) + "\": 1}}")).post("/api/v1/leads").then().statusCode(400)
                .body("errors[0].field", equalTo("attributes.deep." + "k".repeat(4097)));
        String fat = "\"" + "x".repeat(4000) + "\"";
        api().body(lead(team, "{\"a\": " + fat + ", \"b\": " + fat + ", \"c\": " + fat + ", \"d\": [" + fat + ", " + fat + "]}"))
                .post("/api/v1/leads").then().statusCode(400).body("errors[0].field", equalTo("attributes"))
                .body("errors[0].reason", containsString("must be at most 16384 bytes as JSON"));
        // multi-byte text counts in bytes: 4,000 three-byte characters are 12,002 bytes
        String wide = "\"" + "€".repeat(4000) + "\"";
        api().body(lead(team, "{\"a\": " + wide + ", \"b\": " + wide + "}")).post("/api/v1/leads").then().statusCode(400)
                .body("errors[0].field", equalTo("attributes"));
        assertThat(leadsOf(team)).isEqualTo(1);
    }

    @Test
    void attributeNumbersAreFiniteAndAtMost100Digits() {
        String team = Api.newTeam();
        api().body(lead(team, "{\"revenue\": 1e400}")).post("/api/v1/leads").then().statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED")).body("errors[0].field", equalTo("attributes.revenue"))
                .body("errors[0].reason", equalTo("must be a finite number of at most 100 digits"));
        api().body(lead(team, "{\"deep\": [1, -1e999]}")).post("/api/v1/leads").then().statusCode(400)
                .body("errors[0].field", equalTo("attributes.deep[1]"));
        api().body(lead(team, "{\"big\": " + "9".repeat(101) + "}")).post("/api/v1/leads").then().statusCode(400)
                .body("errors[0].field", equalTo("attributes.big"));
        api().body(lead(team, "{\"big\": " + "9".repeat(100) + ", \"small\": 1e-300, \"text\": \"1e400\"}")).post("/api/v1/leads")
                .then().statusCode(201);
        JsonPath batch = api().body("[" + lead(team, "{\"n\": 1e400}") + ", " + lead(team, "{\"n\": 1}") + "]")
                .post("/api/v1/leads/batch").then().statusCode(200).extract().jsonPath();
        assertThat(batch.getList("results.outcome", String.class)).containsExactly("ERROR", "CREATED");
        assertThat(leadsOf(team)).isEqualTo(2);
    }

    @Test
    void aSalesforceFieldLongerThanAnAttributeMayBeIsNamedInTheFault() throws Exception {
        String id = "00Q5g" + UUID.randomUUID().toString().replace("-", "").substring(0, 13);
        String xml = Files.readString(Path.of("src/test/resources/salesforce/lead-notification.xml")).replace("00Q5g00000AbCdEEAV", id)
                .replace("<sf:Rating>Hot</sf:Rating>", "<sf:Description__c>" + "x".repeat(5000) + "</sf:Description__c>");
        given().header("Authorization", "Bearer " + Api.KEY).contentType("text/xml; charset=utf-8").body(xml)
                .post("/api/v1/intake/salesforce").then().statusCode(500)
                .body(containsString(id + " (attributes.Description__c: must be at most 4096 characters)"));
        assertThat(new Database(pool).count("SELECT count(*) FROM lead WHERE external_id = '" + id + "'")).isZero();
    }

    @Test
    void theServiceAnswersAfterwards() {
        String team = Api.newTeam();
        api().body(lead(team, nested(998))).post("/api/v1/leads").then().statusCode(400);
        String id = Api.lead(team, "name", "After the attack");
        api().get("/api/v1/leads/{id}", id).then().statusCode(200).body("name", equalTo("After the attack"));
        api().queryParam("team", team).get("/api/v1/leads").then().statusCode(200).body("name", hasItem("After the attack"));
    }
}
