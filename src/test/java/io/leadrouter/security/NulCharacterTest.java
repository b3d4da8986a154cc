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
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * U+0000, which PostgreSQL refuses in text and jsonb, wherever a client can put it: body fields, attribute keys and
 * values, batch items, path and query parameters, policy and source documents, source payloads and socket frames. Each
 * is a 4xx (or an error frame) naming the field, nothing is stored, and the service answers everyone normally after.
 */
@QuarkusTest
class NulCharacterTest extends SocketTest {

    /** A JSON string literal holding U+0000 as JSON spells it. */
    private static final String NUL = "\\u0000";
    private static final String REASON = "must not contain the NUL character (U+0000)";

    static Stream<Arguments> leadBodies() {
        return Stream.of(
                Arguments.of("a field", "{\"name\": \"Ann" + NUL + "\"}", "name"),
                Arguments.of("a field at its end", "{\"company\": \"Acme\", \"industry\": \"" + NUL + "\"}", "industry"),
                Arguments.of("an attribute key", "{\"name\": \"Ann\", \"attributes\": {\"k" + NUL + "\": 1}}", "attributes.k" + NUL),
                Arguments.of("an attribute value", "{\"name\": \"Ann\", \"attributes\": {\"k\": \"v" + NUL + "\"}}", "attributes.k"),
                Arguments.of("a nested attribute value", "{\"name\": \"Ann\", \"attributes\": {\"k\": {\"l\": [\"v" + NUL + "\"]}}}",
                        "attributes.k"),
                Arguments.of("a nested attribute key", "{\"name\": \"Ann\", \"attributes\": {\"k\": {\"l" + NUL + "\": 1}}}",
                        "attributes.k.l" + NUL),
                Arguments.of("a skill", "{\"name\": \"Ann\", \"requiredSkills\": {\"saas" + NUL + "\": 1}}", "requiredSkills.saas" + NUL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leadBodies")
    void aLeadWithNulIsRefusedOnTheFieldAndNothingIsStored(String where, String body, String field) {
        Database db = new Database(pool);
        long before = db.count("SELECT count(*) FROM lead");
        api().body(body).post("/api/v1/leads").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        assertThat(db.count("SELECT count(*) FROM lead")).isEqualTo(before);
        theServiceAnswers();
    }

    @Test
    void inABatchOnlyTheItemWithNulIsRefused() {
        String team = Api.newTeam();
        JsonPath batch = api().body("[{\"company\": \"Acme\", \"team\": \"" + team + "\"},"
                + " {\"company\": \"Bad" + NUL + "\", \"team\": \"" + team + "\"},"
                + " {\"company\": \"Deep\", \"team\": \"" + team + "\", \"attributes\": {\"a\": {\"b" + NUL + "\": 1}}},"
                + " {\"company\": \"Beta\", \"team\": \"" + team + "\"}]")
                .post("/api/v1/leads/batch").then().statusCode(200).extract().jsonPath();
        assertThat(batch.getInt("created")).isEqualTo(2);
        assertThat(batch.getInt("errors")).isEqualTo(2);
        assertThat(batch.getList("results.outcome", String.class)).containsExactly("CREATED", "ERROR", "ERROR", "CREATED");
        assertThat(batch.getList("results[1].error.errors.field", String.class)).containsExactly("company");
        assertThat(batch.getList("results[2].error.errors.field", String.class)).containsExactly("attributes.a.b\\u0000");
        assertThat(batch.getList("results[2].error.errors.reason", String.class)).containsExactly("is a key that " + REASON);
        assertThat(api().queryParam("team", team).get("/api/v1/leads").then().statusCode(200).extract().jsonPath()
                .getList("company", String.class)).containsExactlyInAnyOrder("Acme", "Beta");
    }

    static Stream<Arguments> parameters() {
        String lead = UUID.randomUUID().toString();
        return Stream.of(
                Arguments.of("GET", "/api/v1/reps/a%00b", "repId"),
                Arguments.of("DELETE", "/api/v1/reps/a%00b", "repId"),
                Arguments.of("POST", "/api/v1/reps/a%00b/tokens", "repId"),
                Arguments.of("GET", "/api/v1/reps?team=a%00b", "team"),
                Arguments.of("GET", "/api/v1/queue?team=a%00b", "team"),
                Arguments.of("GET", "/api/v1/stats/fairness?team=a%00b", "team"),
                Arguments.of("GET", "/api/v1/leads/" + lead + "/decisions?rep=a%00b", "rep"),
                Arguments.of("GET", "/api/v1/leads?status=%00", "status"),
                Arguments.of("GET", "/api/v1/events?kind=HELD%00", "kind"),
                Arguments.of("GET", "/api/v1/queue?te%00am=x", "te\\u0000am"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("parameters")
    void aPathOrQueryParameterWithNulIsRefusedOnTheParameter(String method, String path, String parameter) {
        // as sent: RestAssured would otherwise encode the % again
        api().urlEncodingEnabled(false).request(method, path).then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED")).body("errors[0].field", equalTo(parameter))
                .body("errors[0].reason", equalTo(REASON));
        theServiceAnswers();
    }

    @Test
    void aRepDocumentWithNulIsRefused() {
        String rep = Api.newRepId();
        api().body("{\"name\": \"Ann" + NUL + "\", \"team\": \"" + Api.newTeam() + "\"}").put("/api/v1/reps/{id}", rep).then()
                .statusCode(400).body("code", equalTo("INVALID_FIELD")).body("errors[0].field", equalTo("name"))
                .body("errors[0].reason", equalTo(REASON));
        api().get("/api/v1/reps/{id}", rep).then().statusCode(404);
        theServiceAnswers();
    }

    @Test
    void policyTextWithNulIsRefusedAtItsPath() {
        int version = api().get("/api/v1/routing/policy").then().statusCode(200).extract().path("version");
        api().body("{\"description\": \"mine" + NUL + "\"}").put("/api/v1/routing/policy").then().statusCode(400)
                .body("errors[0].field", equalTo("description"));
        api().body("{\"teams\": {\"emea" + NUL + "\": {}}}").put("/api/v1/routing/policy").then().statusCode(400)
                .body("errors[0].field", equalTo("teams.emea\\u0000"));
        api().body("{\"rules\": [{\"name\": \"r\", \"when\": {\"field\": \"attributes.a" + NUL + "\", \"op\": \"eq\", \"value\": 1},"
                + " \"then\": {\"priority\": 5}}]}").put("/api/v1/routing/policy").then().statusCode(400)
                .body("code", equalTo("INVALID_POLICY")).body("errors[0].field", equalTo("rules[0].when.field"));
        api().body("{\"rules\": [{\"name\": \"r\", \"when\": {\"any\": [{\"field\": \"name\", \"op\": \"in\", \"value\": [\"a\", \"b" + NUL
                + "\"]}]}, \"then\": {\"priority\": 5}}]}").put("/api/v1/routing/policy").then().statusCode(400)
                .body("code", equalTo("INVALID_POLICY")).body("errors[0].field", equalTo("rules[0].when.any[0].value[1]"));
        assertThat((int) api().get("/api/v1/routing/policy").then().statusCode(200).extract().path("version")).as("nothing stored")
                .isEqualTo(version);
        theServiceAnswers();
    }

    @Test
    void aSourceMappingWithNulIsRefusedAndAPayloadItemWithNulIsRefusedAlone() {
        String name = "nul-" + UUID.randomUUID().toString().substring(0, 8);
        String team = Api.newTeam();
        api().body("{\"fields\": {\"company\": \"/company\", \"name\": {\"value\": \"x" + NUL + "\"}}}")
                .put("/api/v1/intake/sources/{name}", name).then().statusCode(400).body("code", equalTo("INVALID_SOURCE"))
                .body("errors.field", hasItem("fields.name.value"));
        api().get("/api/v1/intake/sources/{name}", name).then().statusCode(404);

        api().body(Map.of("fields", Map.of("company", "/company", "industry", "/industry"), "team", team))
                .put("/api/v1/intake/sources/{name}", name).then().statusCode(201);
        JsonPath batch = api().body("[{\"company\": \"Acme\"}, {\"company\": \"Beta\", \"industry\": \"Soft" + NUL + "\"}]")
                .post("/api/v1/intake/sources/{name}", name).then().statusCode(200).extract().jsonPath();
        assertThat(batch.getList("results.outcome", String.class)).containsExactly("CREATED", "ERROR");
        assertThat(batch.getList("results[1].error.errors.field", String.class)).containsExactly("industry");
        theServiceAnswers();
    }

    @Test
    void aSocketFrameWithNulIsAnErrorFrameNamingTheFieldAndTheOfferStaysOpen() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient agent = online(rep)) {
            String lead = Api.lead(team);
            JsonNode offer = agent.await("offer");
            agent.send("{\"type\": \"decline\", \"offerId\": \"" + offer.path("offerId").asText() + "\", \"reason\": \"no" + NUL + "\"}");
            JsonNode error = agent.await("error");
            assertThat(error.path("code").asText()).isEqualTo("BAD_FRAME");
            assertThat(error.path("message").asText()).contains("reason " + REASON);
            agent.send("{\"type\": \"status" + NUL + "\"}");
            assertThat(agent.await("error").path("code").asText()).isEqualTo("UNKNOWN_FRAME");
            assertThat(agent.isOpen()).isTrue();

            // the offer was not touched, and the same socket goes on working
            assertThat(Api.getLead(lead).getString("status")).isEqualTo("OFFERED");
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(lead);
        }
        theServiceAnswers();
    }

    @Test
    void aSalesforceFieldWithNulIsAFaultAndNothingIsStored() throws Exception {
        // XML 1.0 has no NUL, not even as a character reference: the parser refuses the envelope
        String id = "00Q5g" + UUID.randomUUID().toString().replace("-", "").substring(0, 13);
        String xml = Files.readString(Path.of("src/test/resources/salesforce/lead-notification.xml"))
                .replace("00Q5g00000AbCdEEAV", id).replace("<sf:LastName>Lovelace</sf:LastName>", "<sf:LastName>Love&#0;lace</sf:LastName>");
        given().header("Authorization", "Bearer " + Api.KEY).contentType("text/xml; charset=utf-8").body(xml)
                .post("/api/v1/intake/salesforce").then().statusCode(500).body(containsString("<faultcode>soapenv:Client</faultcode>"));
        assertThat(new Database(pool).count("SELECT count(*) FROM lead WHERE external_id = '" + id + "'")).isZero();
        theServiceAnswers();
    }

    /** A plain lead is still taken and read back: nothing above broke a connection, a transaction or a thread. */
    private static void theServiceAnswers() {
        String team = Api.newTeam();
        String id = Api.lead(team, "name", "After the attack");
        assertThat(Api.getLead(id).getString("name")).isEqualTo("After the attack");
        api().get("/api/v1/queue").then().statusCode(200);
    }
}
