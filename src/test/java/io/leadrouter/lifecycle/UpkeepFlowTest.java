package io.leadrouter.lifecycle;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
import io.restassured.path.json.JsonPath;

/** Aging, escalation and untended takeback, as the policy configures them per team. */
@QuarkusTest
class UpkeepFlowTest extends SocketTest {

    @AfterEach
    void restoreBuiltInPolicy() {
        api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
    }

    private static void teamPolicy(String team, Map<String, Object> settings) {
        api().body(Map.of("teams", Map.of(team, settings))).put("/api/v1/routing/policy").then().statusCode(200);
    }

    private static JsonPath events(String lead) {
        return api().queryParam("lead", lead).get("/api/v1/events").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aWaitingLeadGainsPriorityStepByStepUpToTheMax() {
        String team = Api.newTeam();
        teamPolicy(team, Map.of("aging", Map.of("every", "PT1S", "step", 2, "max", 4)));
        String lead = Api.lead(team, "score", 0);
        assertThat(Api.getLead(lead).getInt("priority")).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> Api.getLead(lead).getInt("priority") == 5);
        // capped at base + max, however long it waits
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> Api.getLead(lead).getInt("priority") == 5);
    }

    @Test
    void aLeadDeclinedAgainAndAgainEscalatesOnceWithBoostAndRelaxedTerritory() {
        String team = Api.newTeam();
        teamPolicy(team, Map.of("escalation", Map.of("afterAttempts", 2, "priorityBoost", 10, "relax", List.of("territory"))));
        String first = Api.rep(team, "territories", List.of("DE"));
        String second = Api.rep(team, "territories", List.of("DE"));
        String french = Api.rep(team, "territories", List.of("FR"));
        try (AgentClient a = online(first); AgentClient b = online(second); AgentClient f = online(french)) {
            String lead = Api.lead(team, "country", "DE", "score", 50);
            int base = Api.getLead(lead).getInt("priority");
            await().atMost(Duration.ofSeconds(5)).until(() -> !a.all("offer").isEmpty() || !b.all("offer").isEmpty());
            AgentClient offered = a.all("offer").isEmpty() ? b : a;
            AgentClient other = offered == a ? b : a;
            offered.send(Map.of("type", "decline", "offerId", offered.await("offer").path("offerId").asText()));
            assertThat(events(lead).getList("kind")).doesNotContain("ESCALATED");
            other.send(Map.of("type", "decline", "offerId", other.await("offer").path("offerId").asText()));

            // escalated: territory relaxed, so the rep covering France gets it, with the boost
            JsonNode offer = f.await("offer");
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(lead);
            assertThat(offer.path("lead").path("priority").asInt()).isEqualTo(base + 10);
            JsonPath escalated = events(lead);
            assertThat(escalated.getList("kind")).containsExactly("ESCALATED");
            assertThat(escalated.getString("[0].reason")).startsWith("REPEATED_MISSES");
            api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200)
                    .body("[2].relaxed", equalTo(List.of("TERRITORY"))).body("[2].chosenRepId", equalTo(french));
        }
    }

    @Test
    void aHeldLeadEscalatesAfterTheHoldingTimeAndIsRoutedWithTheCriteriaRelaxed() {
        String team = Api.newTeam();
        teamPolicy(team, Map.of("holding", Map.of("escalateAfter", "PT1S"),
                "escalation", Map.of("priorityBoost", 3, "relax", List.of("territory", "language"))));
        String rep = Api.rep(team, "territories", List.of("FR"), "languages", List.of("fr"));
        try (AgentClient a = online(rep)) {
            String lead = Api.lead(team, "country", "DE", "language", "de", "score", 50);
            int base = Api.getLead(lead).getInt("priority");

            JsonNode offer = a.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(10));
            assertThat(offer.path("lead").path("priority").asInt()).isEqualTo(base + 3);
            JsonPath events = events(lead);
            assertThat(events.getList("kind")).containsExactly("ESCALATED", "HELD");
            assertThat(events.getString("[0].reason")).startsWith("HELD_TOO_LONG: held (NO_QUALIFIED_REP)");
            api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200)
                    .body("kind", equalTo(List.of("HELD", "OFFER")))
                    .body("[0].candidates[0].exclusion", equalTo("LANGUAGE"))
                    .body("[1].relaxed", equalTo(List.of("TERRITORY", "LANGUAGE")));
        }
    }

    @Test
    void anAssignedLeadNotClosedWithinTheSlaIsTakenBackAndRoutedToSomeoneElse() {
        String team = Api.newTeam();
        teamPolicy(team, Map.of("sla", Map.of("untendedAfter", "PT2S")));
        String slow = Api.rep(team);
        try (AgentClient s = online(slow)) {
            assertThat(s.all("welcome").get(0).path("slaSeconds").asLong()).isEqualTo(2);
            String lead = Api.lead(team);
            s.send(Map.of("type", "accept", "offerId", s.await("offer").path("offerId").asText()));
            s.await("assigned");
            String other = Api.rep(team);
            try (AgentClient o = online(other)) {
                JsonNode takenBack = s.await("lead-taken-back", Duration.ofSeconds(8));
                assertThat(takenBack.path("leadId").asText()).isEqualTo(lead);
                assertThat(takenBack.path("reason").asText()).isEqualTo("UNTENDED");
                assertThat(o.await("offer").path("lead").path("id").asText()).isEqualTo(lead);
                assertThat(Api.getRep(slow).getInt("activeLoad")).isZero();

                JsonPath decisions = api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200).extract().jsonPath();
                assertThat(decisions.getList("kind")).containsExactly("OFFER", "TAKEN_BACK", "OFFER");
                assertThat(decisions.getString("[1].reason")).startsWith("UNTENDED").contains(slow);
                assertThat(decisions.getString("[2].candidates.find { it.repId == '" + slow + "' }.exclusion"))
                        .isEqualTo("MISSED_BEFORE");
                assertThat(events(lead).getList("kind")).containsExactly("TAKEN_BACK");
            }
        }
    }
}
