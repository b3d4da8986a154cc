package io.leadrouter.crm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Owner write-back against WireMock stubs of the vendors' documented requests and answers: the Salesforce client
 * credentials token and sObject PATCH, the HubSpot CRM v3 object PATCH, and their expired-session, limit, rate-limit
 * and deleted-record answers.
 */
@QuarkusTest
@TestProfile(CrmConnectorsProfile.class)
class OwnerWriteBackTest extends SocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOBJECTS = "/services/data/v62.0/sobjects/Lead/";
    private static final String CONTACTS = "/crm/v3/objects/contacts/";
    private static final String QUEUE = "00G5g000004QUEUE";

    @ConfigProperty(name = "leadrouter.crm.hubspot.base-url")
    String stubs;
    WireMock crm;
    String team;

    @BeforeEach
    void stubTheCrms() {
        URI url = URI.create(stubs);
        crm = new WireMock(url.getHost(), url.getPort());
        crm.resetMappings();
        crm.resetRequests();
        // a fresh token each time one is asked for, as Salesforce issues them
        crm.register(post(urlEqualTo("/services/oauth2/token")).atPriority(5).willReturn(okJson("""
                {"access_token": "00D5g000004Test!AQ{{randomValue length=32 type='ALPHANUMERIC'}}",
                 "signature": "nUFHwtfIGLKDTHcLWmDBG8frv0t+HQGl/iCZFIQUarE=", "token_format": "opaque",
                 "instance_url": "%s", "id": "https://login.salesforce.com/id/00D5g000004TestEAA/0055g00000IntegAAA",
                 "token_type": "Bearer", "issued_at": "{{now epoch}}"}""".formatted(stubs))));
        crm.register(patch(urlPathMatching(SOBJECTS + ".*")).atPriority(10)
                .willReturn(noContent().withHeader("Sforce-Limit-Info", "api-usage=18/5000")));
        crm.register(patch(urlPathMatching(CONTACTS + ".*")).atPriority(10).willReturn(okJson("""
                {"id": "{{request.pathSegments.[4]}}", "properties": {"hs_object_id": "{{request.pathSegments.[4]}}",
                 "hubspot_owner_id": "{{jsonPath request.body '$.properties.hubspot_owner_id'}}",
                 "lastmodifieddate": "{{now}}"}, "createdAt": "2026-11-02T09:00:00.000Z", "updatedAt": "{{now}}",
                 "archived": false}""")));
        team = Api.newTeam();
    }

    private static String recordId() {
        return "00Q5g" + UUID.randomUUID().toString().replace("-", "").substring(0, 13).toUpperCase();
    }

    private static String repIn(String team, String salesforceId, String hubspotId) {
        return Api.rep(team, "crmIds", Map.of("salesforce", salesforceId, "hubspot", hubspotId));
    }

    /** A lead from the CRM record, offered to the rep and accepted. */
    private String assigned(String rep, String recordId) {
        try (AgentClient agent = online(rep)) {
            String lead = Api.lead(team, "externalId", recordId);
            agent.send(Map.of("type", "accept", "offerId", agent.await("offer").path("offerId").asText()));
            agent.await("assigned");
            return lead;
        }
    }

    /** The connector's attempts at one record, oldest first. */
    private static List<Map<String, Object>> deliveries(String kind, String target) {
        List<Map<String, Object>> all = api().queryParam("limit", 1000).get("/api/v1/connectors/{kind}/deliveries", kind)
                .then().statusCode(200).extract().jsonPath().getList("$");
        List<Map<String, Object>> mine = new ArrayList<>(all.stream().filter(d -> target.equals(d.get("target"))).toList());
        Collections.reverse(mine);
        return mine;
    }

    /** The owners written to a record, in the order the CRM received them. */
    private List<String> ownersWritten(String path, String field) {
        return crm.find(patchRequestedFor(urlPathEqualTo(path))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(request -> {
                    JsonNode body = read(request.getBodyAsString());
                    return "OwnerId".equals(field) ? body.path("OwnerId").asText() : body.path("properties").path(field).asText();
                }).toList();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    @Test
    void anAcceptedLeadGetsItsRepAsOwnerInBothCrms() {
        String record = recordId();
        String rep = repIn(team, "0055g00000RepOneAAA", "81234567");
        api().get("/api/v1/reps/{id}", rep).then().statusCode(200)
                .body("crmIds.salesforce", is("0055g00000RepOneAAA"));
        assigned(rep, record);

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("salesforce", "Lead/" + record).size() == 1
                && deliveries("hubspot", "contacts/" + record).size() == 1);
        assertThat(deliveries("salesforce", "Lead/" + record).get(0)).containsEntry("outcome", "DELIVERED")
                .containsEntry("eventType", "lead.assigned").containsEntry("httpStatus", 204);
        assertThat(deliveries("hubspot", "contacts/" + record).get(0)).containsEntry("outcome", "DELIVERED")
                .containsEntry("httpStatus", 200);

        crm.verifyThat(1, patchRequestedFor(urlPathEqualTo(SOBJECTS + record))
                .withHeader("Authorization", matching("Bearer 00D5g000004Test!AQ.+"))
                .withRequestBody(equalToJson("{\"OwnerId\": \"0055g00000RepOneAAA\"}")));
        crm.verifyThat(1, patchRequestedFor(urlPathEqualTo(CONTACTS + record))
                .withHeader("Authorization", equalTo("Bearer pat-na1-test-token"))
                .withRequestBody(equalToJson("{\"properties\": {\"hubspot_owner_id\": \"81234567\"}}")));

        List<Map<String, Object>> connectors = api().get("/api/v1/connectors").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(connectors).extracting(c -> c.get("kind")).containsExactlyInAnyOrder("salesforce", "hubspot");
        assertThat(connectors).allSatisfy(c -> assertThat(c).containsEntry("url", stubs).containsEntry("enabled", true)
                .containsEntry("types", List.of("lead.assigned", "lead.taken_back")));
        assertThat(api().get("/api/v1/webhooks").then().statusCode(200).extract().jsonPath().getList("kind"))
                .doesNotContain("salesforce", "hubspot");
        api().get("/api/v1/connectors/{kind}", "pipedrive").then().statusCode(404).body("code", is("NOT_FOUND"));
    }

    @Test
    void anExpiredSessionGetsANewTokenAndTheSameWriteSucceeds() {
        String record = recordId();
        String rep = repIn(team, "0055g00000RepTwoAAA", "81234568");
        crm.register(patch(urlPathEqualTo(SOBJECTS + record)).atPriority(1).inScenario("expiry-" + record)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("expired")
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]")));
        crm.register(patch(urlPathEqualTo(SOBJECTS + record)).atPriority(1).inScenario("expiry-" + record)
                .whenScenarioStateIs("expired").willReturn(noContent()));
        assigned(rep, record);

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("salesforce", "Lead/" + record).size() == 1);
        assertThat(deliveries("salesforce", "Lead/" + record).get(0)).containsEntry("outcome", "DELIVERED");
        List<LoggedRequest> writes = crm.find(patchRequestedFor(urlPathEqualTo(SOBJECTS + record))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1).getHeader("Authorization")).as("the retry carries the new token")
                .isNotEqualTo(writes.get(0).getHeader("Authorization"));
        assertThat(crm.find(postRequestedFor(urlEqualTo("/services/oauth2/token"))).stream()
                .filter(token -> token.getLoggedDate().after(writes.get(0).getLoggedDate()))).hasSize(1);
        crm.verifyThat(postRequestedFor(urlEqualTo("/services/oauth2/token"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("client_id", equalTo("3MVG9test-consumer-key"))
                .withFormParam("client_secret", equalTo("test-consumer-secret")));
    }

    @Test
    void aSpentSalesforceAllowancePausesTheConnectorThenTheSameWriteGoesThrough() {
        String record = recordId();
        String rep = repIn(team, "0055g00000RepThrAAA", "81234569");
        crm.register(patch(urlPathEqualTo(SOBJECTS + record)).atPriority(1).inScenario("limit-" + record)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("allowed")
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]")));
        crm.register(patch(urlPathEqualTo(SOBJECTS + record)).atPriority(1).inScenario("limit-" + record)
                .whenScenarioStateIs("allowed").willReturn(noContent()));
        assigned(rep, record);

        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries("salesforce", "Lead/" + record).size() == 2);
        List<Map<String, Object>> attempts = deliveries("salesforce", "Lead/" + record);
        assertThat(attempts.get(0)).containsEntry("outcome", "FAILED").containsEntry("httpStatus", 403);
        assertThat((String) attempts.get(0).get("error")).contains("REQUEST_LIMIT_EXCEEDED");
        assertThat(attempts.get(1)).containsEntry("outcome", "DELIVERED");
        assertThat(attempts).as("a limit is not the CRM failing: the wait does not count against the retries")
                .extracting(a -> a.get("attempt")).containsExactly(1, 1);
        assertThat(Duration.between(Instant.parse((String) attempts.get(0).get("attemptedAt")),
                Instant.parse((String) attempts.get(1).get("attemptedAt")))).as("limit-backoff is 2 s in this profile")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void usageAboveTheCeilingInSforceLimitInfoPausesTheNextWrite() {
        String first = recordId();
        String second = recordId();
        String rep = repIn(team, "0055g00000RepFouAAA", "81234570");
        crm.register(patch(urlPathEqualTo(SOBJECTS + first)).atPriority(1)
                .willReturn(noContent().withHeader("Sforce-Limit-Info", "api-usage=4700/5000")));
        String lead = assigned(rep, first);
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("salesforce", "Lead/" + first).size() == 1);
        api().body(Map.of("outcome", "CONVERTED")).post("/api/v1/leads/{id}/close", lead).then().statusCode(200);
        assigned(rep, second);

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("salesforce", "Lead/" + second).size() == 1);
        Instant paused = Instant.parse((String) deliveries("salesforce", "Lead/" + first).get(0).get("attemptedAt"));
        Instant next = Instant.parse((String) deliveries("salesforce", "Lead/" + second).get(0).get("attemptedAt"));
        assertThat(Duration.between(paused, next)).as("94 %% of the allowance is above the 90 %% ceiling: limit-backoff (2 s)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aHubspotRateLimitWaitsForRetryAfterAndTheWriteIsTriedAgain() {
        String record = recordId();
        String rep = repIn(team, "0055g00000RepFivAAA", "81234571");
        crm.register(patch(urlPathEqualTo(CONTACTS + record)).atPriority(1).inScenario("rate-" + record)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("calm")
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withHeader("Retry-After", "1")
                        .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                        .withHeader("X-HubSpot-RateLimit-Max", "100").withHeader("X-HubSpot-RateLimit-Remaining", "0")
                        .withBody("""
                                {"status": "error", "message": "You have reached your secondly limit.", "errorType": "RATE_LIMIT",
                                 "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24", "policyName": "SECONDLY"}""")));
        crm.register(patch(urlPathEqualTo(CONTACTS + record)).atPriority(1).inScenario("rate-" + record)
                .whenScenarioStateIs("calm").willReturn(okJson("{\"id\": \"" + record + "\", \"properties\": {}}")));
        assigned(rep, record);

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("hubspot", "contacts/" + record).size() == 2);
        List<Map<String, Object>> attempts = deliveries("hubspot", "contacts/" + record);
        assertThat(attempts.get(0)).containsEntry("outcome", "FAILED").containsEntry("httpStatus", 429);
        assertThat((String) attempts.get(0).get("error")).contains("RATE_LIMIT").contains("secondly limit");
        assertThat(attempts.get(1)).containsEntry("outcome", "DELIVERED");
        assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 1);
    }

    @Test
    void aRecordDeletedInTheCrmIsRejectedAndTheNextLeadsOwnerIsStillWritten() {
        String deleted = recordId();
        String next = recordId();
        String rep = repIn(team, "0055g00000RepSixAAA", "81234572");
        crm.register(patch(urlPathEqualTo(SOBJECTS + deleted)).atPriority(1).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]")));
        crm.register(patch(urlPathEqualTo(CONTACTS + deleted)).atPriority(1).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"status": "error", "message": "resource not found", "correlationId": "4e4c2f6b-7a3e-4a0c-9d3e-0f1a2b3c4d5e",
                         "category": "OBJECT_NOT_FOUND"}""")));
        String lead = assigned(rep, deleted);
        api().body(Map.of("outcome", "CONVERTED")).post("/api/v1/leads/{id}/close", lead).then().statusCode(200);
        assigned(rep, next);

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("salesforce", "Lead/" + next).size() == 1
                && deliveries("hubspot", "contacts/" + next).size() == 1);
        assertThat(deliveries("salesforce", "Lead/" + deleted)).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("outcome", "REJECTED").containsEntry("httpStatus", 404);
            assertThat((String) d.get("error")).contains("NOT_FOUND");
        });
        assertThat(deliveries("hubspot", "contacts/" + deleted)).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("outcome", "REJECTED");
            assertThat((String) d.get("error")).contains("OBJECT_NOT_FOUND");
        });
        assertThat(deliveries("salesforce", "Lead/" + next).get(0)).containsEntry("outcome", "DELIVERED");
        crm.verifyThat(1, patchRequestedFor(urlPathEqualTo(SOBJECTS + deleted)));
    }

    @Test
    void aRepWithoutAnIdInTheCrmIsSkippedNotFailed() {
        String record = recordId();
        String rep = Api.rep(team, "crmIds", Map.of("hubspot", "81234573"));
        assigned(rep, record);

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("salesforce", "Lead/" + record).size() == 1
                && deliveries("hubspot", "contacts/" + record).size() == 1);
        assertThat(deliveries("salesforce", "Lead/" + record).get(0)).containsEntry("outcome", "SKIPPED")
                .containsEntry("error", "rep " + rep + " has no crmIds.salesforce");
        assertThat(deliveries("hubspot", "contacts/" + record).get(0)).containsEntry("outcome", "DELIVERED");
        crm.verifyThat(0, patchRequestedFor(urlPathEqualTo(SOBJECTS + record)));
        api().get("/api/v1/connectors/salesforce").then().statusCode(200).body("failures", is(0))
                .body("enabled", is(true));
    }

    @Test
    void aTakenBackLeadGoesToTheUnassignedOwnerAndThenToTheRepWhoTakesItInOrder() {
        api().body(Map.of("teams", Map.of(team, Map.of("sla", Map.of("untendedAfter", "PT2S"))))).put("/api/v1/routing/policy")
                .then().statusCode(200);
        String record = recordId();
        String slow = repIn(team, "0055g00000SlowRepAA", "1001");
        String other = repIn(team, "0055g00000OtherRepA", "1002");
        try (AgentClient s = online(slow)) {
            Api.lead(team, "externalId", record);
            s.send(Map.of("type", "accept", "offerId", s.await("offer").path("offerId").asText()));
            s.await("assigned");
            try (AgentClient o = online(other)) {
                s.await("lead-taken-back", Duration.ofSeconds(8));
                o.send(Map.of("type", "accept", "offerId", o.await("offer").path("offerId").asText()));
                o.await("assigned");
            }
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries("salesforce", "Lead/" + record).size() == 3
                && deliveries("hubspot", "contacts/" + record).size() == 3);
        assertThat(deliveries("salesforce", "Lead/" + record)).extracting(d -> d.get("eventType"))
                .containsExactly("lead.assigned", "lead.taken_back", "lead.assigned");
        assertThat(ownersWritten(SOBJECTS + record, "OwnerId")).containsExactly("0055g00000SlowRepAA", QUEUE, "0055g00000OtherRepA");
        assertThat(ownersWritten(CONTACTS + record, "hubspot_owner_id")).as("HubSpot clears the owner of a taken-back record")
                .containsExactly("1001", "", "1002");
    }

    @Test
    void crmIdsAreCheckedInTheRepDocument() {
        api().body(Map.of("team", team, "crmIds", Map.of("pipedrive", "1"))).put("/api/v1/reps/{id}", Api.newRepId())
                .then().statusCode(400).body("errors.field", hasItem(startsWith("crmIds")));
        api().body(Map.of("team", team, "crmIds", Map.of("salesforce", "005 ; DROP"))).put("/api/v1/reps/{id}", Api.newRepId())
                .then().statusCode(400);
    }
}
