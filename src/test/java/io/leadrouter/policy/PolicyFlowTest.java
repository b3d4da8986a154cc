package io.leadrouter.policy;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** The policy over REST, in force at once: rules at intake, fallback in offers, versions in traces. */
@QuarkusTest
class PolicyFlowTest extends SocketTest {

    /** Other tests share the service: put the built-in behaviour back. */
    @AfterEach
    void restoreBuiltInPolicy() {
        api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
    }

    @Test
    void everyWriteIsANewVersionAndAnInvalidOneChangesNothing() {
        int before = api().get("/api/v1/routing/policy").then().statusCode(200).extract().path("version");
        JsonPath written = api().body(Map.of("description", "test", "defaults", Map.of("maxAttempts", 4)))
                .put("/api/v1/routing/policy").then().statusCode(200).extract().jsonPath();
        assertThat(written.getInt("version")).isGreaterThan(before);
        assertThat(written.getInt("policy.defaults.maxAttempts")).isEqualTo(4);
        api().get("/api/v1/routing/policy").then().statusCode(200)
                .body("version", equalTo(written.getInt("version"))).body("policy.description", equalTo("test"))
                .body("createdAt", org.hamcrest.Matchers.notNullValue());

        api().body(Map.of("defaults", Map.of("weights", Map.of("fairness", 50)),
                "rules", List.of(Map.of("name", "x", "when", Map.of("field", "salary", "op", "eq", "value", 1), "then", Map.of("priority", 1)))))
                .put("/api/v1/routing/policy").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_POLICY"))
                .body("errors.field", hasItem("defaults.weights.fairness")).body("errors.field", hasItem("rules[0].when.field"));
        api().body("{\"defaults\": {\"maxAtempts\": 3}}").put("/api/v1/routing/policy").then().statusCode(400)
                .body("code", equalTo("UNKNOWN_FIELD")).body("errors[0].field", equalTo("defaults.maxAtempts"));
        api().get("/api/v1/routing/policy").then().body("version", equalTo(written.getInt("version")));
        RestAssured.given().get("/api/v1/routing/policy").then().statusCode(401);
    }

    @Test
    void rulesSetPriorityLoadAndTierAtIntakeAndTheTraceNamesTheVersion() {
        String team = Api.newTeam();
        int version = api().body(Map.of("rules", List.of(Map.of("name", "big deal",
                "when", Map.of("all", List.of(Map.of("field", "team", "op", "eq", "value", team),
                        Map.of("field", "value", "op", "gte", "value", 50000))),
                "then", Map.of("priority", 9, "loadPoints", 2, "tiers", List.of(1))))))
                .put("/api/v1/routing/policy").then().statusCode(200).extract().path("version");
        String junior = Api.rep(team, "tier", 3, "maxLoad", 2);
        String senior = Api.rep(team, "tier", 1, "maxLoad", 2);
        try (AgentClient j = online(junior); AgentClient s = online(senior)) {
            String big = Api.lead(team, "value", 60000);
            JsonNode offer = s.await("offer");
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(big);
            assertThat(offer.path("lead").path("priority").asInt()).isEqualTo(9);
            assertThat(offer.path("lead").path("loadPoints").asInt()).isEqualTo(2);
            assertThat(Api.getLead(Api.lead(team, "value", 100)).getInt("priority")).isEqualTo(3);
            api().get("/api/v1/leads/{id}/decisions", big).then().statusCode(200)
                    .body("[0].policyVersion", equalTo(version))
                    .body("[0].candidates.find { it.repId == '" + junior + "' }.exclusion", equalTo("TIER"));
        }
    }

    @Test
    void theFallbackChainRelaxesTerritoryAndTheTraceSaysSo() {
        String team = teamWhoseFallbackRelaxesTerritory();
        try (AgentClient a = online(Api.rep(team, "territories", List.of("FR")))) {
            String german = Api.lead(team, "country", "DE");
            assertThat(a.await("offer").path("lead").path("id").asText()).isEqualTo(german);
            api().get("/api/v1/leads/{id}/decisions", german).then().statusCode(200)
                    .body("[0].kind", equalTo("OFFER")).body("[0].relaxed", equalTo(List.of("TERRITORY")));
        }
    }

    /**
     * A lead the fallback relaxed for but nobody could take keeps its relaxed criteria in the queue: a pull by the rep
     * it was relaxed for takes it, which the pull's own territory check would refuse otherwise.
     */
    @Test
    void aQueuedLeadKeepsTheCriteriaItsFallbackRelaxedAndAPullHonoursThem() {
        String team = teamWhoseFallbackRelaxesTerritory();
        try (AgentClient a = online(Api.rep(team, "territories", List.of("FR")))) {
            a.send(Map.of("type", "status", "status", "BUSY"));
            a.await("status");
            String german = Api.lead(team, "country", "DE");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> api().get("/api/v1/leads/{id}/decisions", german)
                    .then().statusCode(200).body("[0].kind", equalTo("NO_MATCH")).body("[0].relaxed", equalTo(List.of("TERRITORY"))));
            a.send(Map.of("type", "pull"));
            assertThat(a.await("assigned").path("lead").path("id").asText()).isEqualTo(german);
        }
    }

    private static String teamWhoseFallbackRelaxesTerritory() {
        String team = Api.newTeam();
        api().body(Map.of("teams", Map.of(team, Map.of("fallback", List.of("territory")))))
                .put("/api/v1/routing/policy").then().statusCode(200);
        return team;
    }
}
