package io.leadrouter.rep;

import static io.leadrouter.support.Api.api;
import static io.leadrouter.support.Api.obj;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A rep in several teams: pulls in its team order, is offered leads of each, shares its capacity and caps across them. */
@QuarkusTest
class MultiTeamRepTest extends SocketTest {

    private static String accepted(AgentClient agent, String lead) {
        JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(10));
        agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
        return agent.await("assigned").path("lead").path("id").asText();
    }

    /** The rep's exclusion in the lead's NO_MATCH decision, once the drain has written it. */
    private static String noMatchExclusion(String lead, String rep) {
        String[] exclusion = new String[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200).extract().jsonPath();
            assertThat(trace.getList("kind")).contains("NO_MATCH");
            exclusion[0] = trace.getString("find { it.kind == 'NO_MATCH' }.candidates.find { it.repId == '" + rep + "' }.exclusion");
        });
        return exclusion[0];
    }

    @Test
    void aRepPullsFromItsFirstTeamBeforeItsSecondEvenWhenTheSecondsLeadIsOlderAndMoreUrgent() {
        String emea = Api.newTeam();
        String dach = Api.newTeam();
        String rep = Api.rep(emea, "teams", List.of(emea, dach), "maxLoad", 3);
        try (AgentClient agent = online(rep)) {
            agent.send(Map.of("type", "status", "status", "BUSY"));
            agent.await("status");
            String dachLead = Api.lead(dach, "score", 100);
            String emeaLead = Api.lead(emea, "score", 0);
            Api.awaitNoMatch(dachLead, emeaLead);
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(emeaLead);
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(dachLead);
            agent.send(Map.of("type", "pull"));
            agent.await("queue-empty");
            assertThat(Api.getLead(dachLead).getString("ownerRepId")).isEqualTo(rep);
            assertThat(Api.getRep(rep).getInt("activeLoad")).isEqualTo(2);
        }
    }

    @Test
    void aRepIsOfferedLeadsOfEitherTeamAndAtMaxLoadFromOneIsNotOfferedTheOthers() {
        String emea = Api.newTeam();
        String dach = Api.newTeam();
        String rep = Api.rep(emea, "teams", List.of(emea, dach), "maxLoad", 1);
        try (AgentClient agent = online(rep)) {
            String dachLead = Api.lead(dach);
            assertThat(accepted(agent, dachLead)).isEqualTo(dachLead);
            String emeaLead = Api.lead(emea);
            assertThat(noMatchExclusion(emeaLead, rep)).isEqualTo("AT_CAPACITY");
            assertThat(Api.getLead(emeaLead).getString("status")).isEqualTo("QUEUED");
            // closing the dach lead frees the one capacity the teams share: the emea lead is offered now
            agent.send(Map.of("type", "close", "leadId", dachLead, "outcome", "CONTACTED"));
            agent.await("closed");
            assertThat(accepted(agent, emeaLead)).isEqualTo(emeaLead);
        }
    }

    @Test
    void periodCapsAreSharedAcrossTheTeams() {
        String emea = Api.newTeam();
        String dach = Api.newTeam();
        String rep = Api.rep(emea, "teams", List.of(emea, dach), "maxLoad", 3, "caps", Map.of("day", 1));
        try (AgentClient agent = online(rep)) {
            String emeaLead = Api.lead(emea);
            accepted(agent, emeaLead);
            String dachLead = Api.lead(dach);
            assertThat(noMatchExclusion(dachLead, rep)).isEqualTo("CAP_REACHED");
            assertThat(Api.getRep(rep).getInt("capUsage.day")).isEqualTo(1);
        }
    }

    @Test
    void theSecondTeamIsKnownStaffedAndCountedInTheQueueAndFairness() {
        String emea = Api.newTeam();
        String dach = Api.newTeam();
        String rep = Api.rep(emea, "teams", List.of(emea, dach), "maxLoad", 2);
        api().body(Map.of("allowNewTeams", false)).put("/api/v1/routing/policy").then().statusCode(200);
        try (AgentClient agent = online(rep)) {
            // a team only a rep's second team names is known, and staffed
            String dachLead = Api.lead(dach);
            accepted(agent, dachLead);
            api().body(Map.of("company", "Nobody's", "team", Api.newTeam())).post("/api/v1/leads").then().statusCode(422)
                    .body("code", equalTo("UNKNOWN_TEAM"));
            api().queryParam("team", dach).get("/api/v1/queue").then().statusCode(200)
                    .body("availableReps", equalTo(1)).body("teamsWithoutReps", equalTo(Map.of()));
            JsonPath stats = api().queryParam("period", "day").queryParam("team", dach).get("/api/v1/stats/fairness")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(stats.getLong("teams[0].reps.find { it.repId == '" + rep + "' }.assigned")).isEqualTo(1);
            JsonPath emeaStats = api().queryParam("period", "day").queryParam("team", emea).get("/api/v1/stats/fairness")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(emeaStats.getLong("teams[0].reps.find { it.repId == '" + rep + "' }.assigned"))
                    .as("fair within each team: the dach lead is not counted in emea").isZero();
        } finally {
            api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
        }
    }

    @Test
    void theRepDocumentKeepsTeamsInOrderAndRefusesATeamThatDisagrees() {
        String emea = Api.newTeam();
        String dach = Api.newTeam();
        String id = Api.newRepId();
        api().body(obj("teams", List.of(emea, dach), "region", "DE-BY")).put("/api/v1/reps/{id}", id).then().statusCode(201)
                .body("team", equalTo(emea)).body("teams", equalTo(List.of(emea, dach))).body("region", equalTo("DE-BY"));
        api().get("/api/v1/reps/{id}", id).then().statusCode(200)
                .body("team", equalTo(emea)).body("teams", equalTo(List.of(emea, dach))).body("region", equalTo("DE-BY"));
        api().queryParam("team", dach).get("/api/v1/reps").then().statusCode(200).body("id", hasItem(id));
        // the one-team form still reads and writes as before
        String single = Api.rep(emea);
        api().get("/api/v1/reps/{id}", single).then().body("team", equalTo(emea)).body("teams", equalTo(List.of(emea)));

        api().body(obj("team", dach, "teams", List.of(emea, dach))).put("/api/v1/reps/{id}", id).then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("TEAM_MISMATCH")).body("errors[0].field", equalTo("team"));
        api().body(obj("team", emea, "teams", List.of(emea, dach))).put("/api/v1/reps/{id}", id).then().statusCode(200);
        api().body(obj("teams", List.of(emea, emea))).put("/api/v1/reps/{id}", id).then().statusCode(422)
                .body("code", equalTo("DUPLICATE_TEAM"));
        api().body(obj("teams", List.of())).put("/api/v1/reps/{id}", id).then().statusCode(400).body("errors[0].field", equalTo("teams"));
        api().body(obj("teams", List.of(emea), "region", "Bavaria")).put("/api/v1/reps/{id}", id).then().statusCode(400)
                .body("errors[0].field", equalTo("region"));
        api().get("/api/v1/reps/{id}", id).then().body("teams", equalTo(List.of(emea, dach)));
    }

    @Test
    void aCsvRosterListsTeamsSeparatedBySemicolons() {
        String emea = Api.newTeam();
        String dach = Api.newTeam();
        String ann = Api.newRepId();
        String bob = Api.newRepId();
        String csv = "id,team,teams,region\n" + ann + ",," + emea + ";" + dach + ",AT\n" + bob + "," + dach + "," + emea + ";" + dach + ",\n";
        JsonPath answer = given().header("Authorization", "Bearer " + Api.KEY).contentType("text/csv; charset=UTF-8").body(csv)
                .put("/api/v1/reps").then().statusCode(200).body("created", equalTo(1)).extract().jsonPath();
        assertThat(answer.getList("results.outcome")).containsExactly("CREATED", "ERROR");
        assertThat(answer.getString("results[1].error.code")).isEqualTo("TEAM_MISMATCH");
        api().get("/api/v1/reps/{id}", ann).then().statusCode(200).body("teams", equalTo(List.of(emea, dach)))
                .body("team", equalTo(emea)).body("region", equalTo("AT"));
    }
}
