package io.leadrouter.source;

import static io.leadrouter.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Senders' own payloads through the shipped example mappings: a HubSpot workflow webhook and a signed web form. */
@QuarkusTest
class SourceIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A HubSpot contact workflow's "Send a webhook" body: the legacy contact shape, every property under {value}. */
    private static final String HUBSPOT_CONTACT = """
            {"vid": %d, "canonical-vid": %1$d, "merged-vids": [], "portal-id": 62515, "is-contact": true,
             "properties": {
               "firstname": {"value": "Ann", "versions": [{"value": "Ann", "source-type": "FORM", "timestamp": 1764578100000}]},
               "lastname": {"value": "Example"},
               "email": {"value": " Ann.Example@Acme.DE "},
               "company": {"value": "Acme GmbH"},
               "phone": {"value": "+49 30 1234567"},
               "country": {"value": "de"},
               "state": {"value": "Berlin"},
               "zip": {"value": "10115"},
               "industry": {"value": "Software"},
               "annualrevenue": {"value": "2500000"},
               "hubspotscore": {"value": "42"},
               "lifecyclestage": {"value": "marketingqualifiedlead"}
             }}""";

    private static ObjectNode example(String file, String team) throws Exception {
        ObjectNode mapping = (ObjectNode) JSON.readTree(Files.readString(Path.of("docs/examples/sources", file)));
        if (team != null) {
            mapping.put("team", team);
        }
        return mapping;
    }

    private static String sourceName() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aHubspotWorkflowContactBecomesALeadOnceAndABatchBecomesLeads() throws Exception {
        String team = Api.newTeam();
        String name = sourceName();
        api().body(example("hubspot-workflow.json", team).toString()).put("/api/v1/intake/sources/{name}", name).then().statusCode(201);
        long vid = 3_000_000 + (long) (Math.random() * 1_000_000);

        JsonPath lead = api().body(HUBSPOT_CONTACT.formatted(vid)).post("/api/v1/intake/sources/{name}", name).then()
                .statusCode(201).extract().jsonPath();
        assertThat(lead.getString("externalId")).isEqualTo(Long.toString(vid));
        assertThat(lead.getString("name")).isEqualTo("Ann Example");
        assertThat(lead.getString("email")).isEqualTo("ann.example@acme.de");
        assertThat(lead.getString("company")).isEqualTo("Acme GmbH");
        assertThat(lead.getString("country")).isEqualTo("DE");
        assertThat(lead.getString("region")).isEqualTo("Berlin");
        assertThat(lead.getString("postalCode")).isEqualTo("10115");
        assertThat(lead.getDouble("value")).isEqualTo(2_500_000d);
        assertThat(lead.getInt("score")).isEqualTo(42);
        assertThat(lead.getString("source")).isEqualTo("hubspot");
        assertThat(lead.getString("team")).isEqualTo(team);
        assertThat(lead.getMap("attributes")).containsEntry("lifecycleStage", "marketingqualifiedlead")
                .containsEntry("hubspotPortalId", "62515");

        // HubSpot retries a webhook it saw fail: the contact's vid is the externalId, so a resend is a replay
        api().body(HUBSPOT_CONTACT.formatted(vid)).post("/api/v1/intake/sources/{name}", name).then().statusCode(200)
                .body("id", equalTo(lead.getString("id")));

        // a batch: another person, Ann again as another HubSpot contact (her open lead's duplicate), not a contact
        String other = HUBSPOT_CONTACT.formatted(vid + 1).replace("Ann.Example@Acme.DE", "bo@acme.de");
        JsonPath batch = api().body("[" + other + "," + HUBSPOT_CONTACT.formatted(vid + 2) + ", 7]")
                .post("/api/v1/intake/sources/{name}", name).then().statusCode(200).extract().jsonPath();
        assertThat(batch.getInt("created")).isEqualTo(1);
        assertThat(batch.getString("results[0].lead.email")).isEqualTo("bo@acme.de");
        assertThat(batch.getString("results[1].outcome")).isEqualTo("DUPLICATE");
        assertThat(batch.getString("results[1].duplicateOf.leadId")).isEqualTo(lead.getString("id"));
        assertThat(batch.getString("results[2].outcome")).isEqualTo("ERROR");
    }

    @Test
    void aSignedWebFormIsTakenAndABadOrMissingSignatureStoresNothing() throws Exception {
        String team = Api.newTeam();
        String name = sourceName();
        ObjectNode mapping = example("web-form.json", team);
        String secret = ((ObjectNode) mapping.get("signature")).get("secret").asText();
        api().body(mapping.toString()).put("/api/v1/intake/sources/{name}", name).then().statusCode(201);
        api().get("/api/v1/intake/sources/{name}", name).then().statusCode(200)
                .body("document.signature.secret", equalTo("(set)")).body("document.team", equalTo(team));

        String form = """
                {"full_name": "  Jean-Luc de la Tour ", "work_email": "JL@Example.FR", "company": "Tour SA", "country": "fr",
                 "message": "Pricing for 40 seats?", "utm": {"source": "google"}}""";
        api().header("X-Form-Signature", sign(secret, form + " ")).body(form).post("/api/v1/intake/sources/{name}", name)
                .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("INVALID_SIGNATURE"));
        api().body(form).post("/api/v1/intake/sources/{name}", name).then().statusCode(401);
        api().header("X-Form-Signature", "sha256=zz").body(form).post("/api/v1/intake/sources/{name}", name).then().statusCode(401);
        api().queryParam("team", team).get("/api/v1/leads").then().statusCode(200).body("size()", equalTo(0));

        JsonPath lead = api().header("X-Form-Signature", sign(secret, form)).body(form).post("/api/v1/intake/sources/{name}", name)
                .then().statusCode(201).extract().jsonPath();
        assertThat(lead.getString("name")).isEqualTo("Jean-Luc de la Tour");
        assertThat(lead.getString("email")).isEqualTo("jl@example.fr");
        assertThat(lead.getString("country")).isEqualTo("FR");
        assertThat(lead.getString("team")).isEqualTo(team);
        assertThat(lead.getMap("attributes")).containsEntry("firstName", "Jean-Luc").containsEntry("lastName", "de la Tour")
                .containsEntry("message", "Pricing for 40 seats?").containsEntry("utmSource", "google");
    }

    @Test
    void aCsvExportOfTheSendersRecordsImportsThroughTheSource() throws Exception {
        String team = Api.newTeam();
        String name = sourceName();
        api().body(example("web-form.json", team).without("signature").toString()).put("/api/v1/intake/sources/{name}", name)
                .then().statusCode(201);
        String csv = """
                full_name,work_email,company,country,message
                Ann Example,ANN@EXAMPLE.DE,Acme GmbH,de,Call me
                Bob Builder,not-an-email,Bob Ltd,gb,
                """;
        JsonPath report = given().header("Authorization", "Bearer " + Api.KEY).contentType("text/csv; charset=UTF-8").body(csv)
                .queryParam("source", name).post("/api/v1/leads/import").then().statusCode(200).extract().jsonPath();
        assertThat(report.getInt("created")).isEqualTo(1);
        assertThat(report.getInt("errors")).isEqualTo(1);
        assertThat(report.getInt("errorRows[0].row")).isEqualTo(3);
        JsonPath lead = api().queryParam("team", team).get("/api/v1/leads").then().statusCode(200).extract().jsonPath();
        assertThat(lead.getString("[0].email")).isEqualTo("ann@example.de");
        assertThat(lead.getString("[0].country")).isEqualTo("DE");
        assertThat(lead.getMap("[0].attributes")).containsEntry("firstName", "Ann").containsEntry("message", "Call me");

        given().header("Authorization", "Bearer " + Api.KEY).contentType("text/csv").body(csv).queryParam("source", name)
                .queryParam("map", "company:name").post("/api/v1/leads/import").then().statusCode(400).body("code", equalTo("INVALID_MAPPING"));
        given().header("Authorization", "Bearer " + Api.KEY).contentType("text/csv").body(csv).queryParam("source", "nope")
                .post("/api/v1/leads/import").then().statusCode(404);
    }

    @Test
    void aMappedLeadIsCheckedLikeAnyLead() throws Exception {
        String name = sourceName();
        api().body(example("web-form.json", Api.newTeam()).without("signature").toString())
                .put("/api/v1/intake/sources/{name}", name).then().statusCode(201);
        api().body("{\"full_name\": \"Ann\", \"work_email\": \"not-an-email\"}").post("/api/v1/intake/sources/{name}", name)
                .then().statusCode(400).body("errors.field", equalTo(List.of("email")));
        api().body("\"just text\"").post("/api/v1/intake/sources/{name}", name).then().statusCode(400)
                .body("code", equalTo("INVALID_PAYLOAD"));
        api().body("{not json").post("/api/v1/intake/sources/{name}", name).then().statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        api().body("{}").post("/api/v1/intake/sources/{name}", "nope").then().statusCode(404);
    }

    @Test
    void aMappingIsCheckedWholeWithEveryProblemAtItsPath() {
        api().body(Map.of("fields", Map.of(
                "owner", "/x",
                "email", Map.of("pointer", "no-slash"),
                "name", Map.of("pointer", "/a", "value", "b"),
                "company", Map.of("pointer", "/c", "transform", "shout")),
                "signature", Map.of("header", "X-Sig", "secret", "short"), "team", "bad team"))
                .put("/api/v1/intake/sources/{name}", sourceName()).then().statusCode(400).body("code", equalTo("INVALID_SOURCE"))
                .body("errors.field", hasItems("fields.owner", "fields.email", "fields.name", "fields.company.transform",
                        "signature.secret", "team"));
        api().body(Map.of("fields", Map.of("email", "/e"))).put("/api/v1/intake/sources/{name}", "Not A Name").then().statusCode(400)
                .body("errors.field", hasItem("name"));
    }
}
