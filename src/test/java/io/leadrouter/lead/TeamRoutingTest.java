package io.leadrouter.lead;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The router decides the team: the lead's own, else the first rule's, else the policy's default; teams are known things. */
@QuarkusTest
class TeamRoutingTest extends SocketTest {

    @AfterEach
    void builtInPolicy() {
        api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
    }

    private static void policy(Map<String, Object> document) {
        api().body(document).put("/api/v1/routing/policy").then().statusCode(200);
    }

    private static JsonPath post(Map<String, Object> lead) {
        return api().body(lead).post("/api/v1/leads").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void theLeadsOwnTeamWinsThenTheFirstRuleWithATeamThenTheDefaultTeam() {
        String emea = Api.newTeam();
        String dach = Api.newTeam();
        String inbound = Api.newTeam();
        String named = Api.newTeam();
        Api.rep(named);
        policy(Map.of("defaultTeam", inbound, "rules", List.of(
                Map.of("name", "dach", "when", Map.of("field", "country", "op", "in", "value", List.of("DE", "AT", "CH")), "then", Map.of("team", dach)),
                Map.of("name", "europe", "when", Map.of("field", "country", "op", "in", "value", List.of("DE", "FR", "ES")),
                        "then", Map.of("team", emea, "priorityBoost", 1)))));

        assertThat(post(Map.of("company", "Acme GmbH", "country", "DE")).getString("team")).as("first rule with a team").isEqualTo(dach);
        JsonPath french = post(Map.of("company", "Acme SA", "country", "FR"));
        assertThat(french.getString("team")).isEqualTo(emea);
        assertThat(post(Map.of("company", "Acme Inc", "country", "US")).getString("team")).as("no rule: the policy's default")
                .isEqualTo(inbound);
        assertThat(post(Map.of("company", "Acme AG", "country", "DE", "team", named)).getString("team")).as("the lead's own")
                .isEqualTo(named);
    }

    @Test
    void aLeadForATeamWithoutAnActiveRepSaysSoOnceAndIsRoutedWhenTheTeamIsStaffed() {
        String ghost = Api.newTeam();
        policy(Map.of("teams", Map.of(ghost, Map.of())));
        String lead = Api.lead(ghost);
        Api.lead(ghost);

        await().atMost(Duration.ofSeconds(10)).until(() -> api().get("/api/v1/leads/{id}/decisions", lead).then().extract()
                .jsonPath().getList("kind").size() == 1);
        assertThat(Api.getLead(lead).getString("status")).as("it waits in the queue for the team to be staffed").isEqualTo("QUEUED");
        api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200)
                .body("kind", equalTo(List.of("NO_MATCH")))
                .body("[0].reason", equalTo("NO_REPS_IN_TEAM: team " + ghost + " has no active rep"))
                .body("[0].candidates", equalTo(List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> api().queryParam("team", ghost).get("/api/v1/events").then().extract()
                .jsonPath().getList("kind").size() >= 2);
        JsonPath events = api().queryParam("team", ghost).get("/api/v1/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getList("kind")).as("one manager event per lead, however often the team is drained")
                .containsExactly("UNROUTED", "UNROUTED");
        assertThat(events.getString("[1].reason")).isEqualTo("NO_REPS_IN_TEAM: team " + ghost + " has no active rep");
        assertThat(events.getString("[1].leadId")).isEqualTo(lead);
        api().queryParam("team", ghost).get("/api/v1/queue").then().statusCode(200)
                .body("teamsWithoutReps." + ghost, equalTo(2));

        String rep = Api.rep(ghost);
        try (AgentClient agent = online(rep)) {
            assertThat(agent.await("offer").path("lead").path("id").asText()).isEqualTo(lead);
        }
        api().queryParam("team", ghost).get("/api/v1/queue").then().statusCode(200)
                .body("teamsWithoutReps", equalTo(Map.of()));
        assertThat(api().queryParam("team", ghost).get("/api/v1/events").then().extract().jsonPath().getList("kind")).hasSize(2);
    }

    @Test
    void aTeamNobodyKnowsIsRefusedWithTheFieldUnlessThePolicyAllowsNewTeams() {
        // the test profile lets leads create teams (every test makes its own); the policy says no here, as production does
        policy(Map.of("allowNewTeams", false));
        String invented = Api.newTeam();
        api().body(Map.of("company", "Acme", "team", invented)).post("/api/v1/leads").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_TEAM"))
                .body("errors.field", equalTo(List.of("team")));
        policy(Map.of("allowNewTeams", false, "teams", Map.of(invented, Map.of())));
        api().body(Map.of("company", "Acme", "team", invented)).post("/api/v1/leads").then().statusCode(201);
        invented = Api.newTeam();
        policy(Map.of("allowNewTeams", false));

        String staffed = Api.newTeam();
        Api.rep(staffed);
        JsonPath batch = api().body(List.of(Map.of("company", "A", "team", staffed), Map.of("company", "B", "team", invented)))
                .post("/api/v1/leads/batch").then().statusCode(200).extract().jsonPath();
        assertThat(batch.getInt("created")).isEqualTo(1);
        assertThat(batch.getString("results[1].outcome")).isEqualTo("ERROR");
        assertThat(batch.getString("results[1].error.code")).isEqualTo("UNKNOWN_TEAM");
        assertThat(batch.getInt("results[1].error.status")).isEqualTo(422);

        policy(Map.of("allowNewTeams", true));
        assertThat(post(Map.of("company", "Acme", "team", invented)).getString("team")).isEqualTo(invented);
    }

    @Test
    void teamsInThePolicyMustBeTeamNames() {
        api().body(Map.of("defaultTeam", "no spaces", "rules", List.of(Map.of("name", "r", "when",
                Map.of("field", "country", "op", "eq", "value", "DE"), "then", Map.of("team", "a/b")))))
                .put("/api/v1/routing/policy").then().statusCode(400)
                .body("errors.field", hasItem("defaultTeam")).body("errors.field", hasItem("rules[0].then.team"))
                .body("errors[0].reason", startsWith("must be a team name"));
    }
}
