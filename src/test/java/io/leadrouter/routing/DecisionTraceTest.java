package io.leadrouter.routing;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The decision trace contract and "why not this rep", over REST. */
@QuarkusTest
class DecisionTraceTest extends SocketTest {

    @Test
    void everyCandidateCarriesItsExclusionOrItsScoreComponents() {
        String team = Api.newTeam();
        String local = Api.rep(team, "territories", List.of("US:941"));
        String national = Api.rep(team, "territories", List.of("US"));
        String french = Api.rep(team, "territories", List.of("FR"));
        try (AgentClient l = online(local); AgentClient n = online(national); AgentClient f = online(french)) {
            String lead = Api.lead(team, "country", "US", "postalCode", "94110");
            assertThat(l.await("offer").path("lead").path("id").asText()).isEqualTo(lead);

            JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200).extract().jsonPath();
            assertThat(trace.getList("$")).hasSize(1);
            assertThat(trace.getString("[0].kind")).isEqualTo("OFFER");
            assertThat(trace.getString("[0].mode")).isEqualTo("PUSH");
            assertThat(trace.getString("[0].chosenRepId")).isEqualTo(local);
            assertThat(trace.getString("[0].offerId")).isNotBlank();
            assertThat(trace.getInt("[0].attempt")).isEqualTo(1);
            assertThat(trace.getInt("[0].policyVersion")).isNotNegative();
            assertThat(trace.getList("[0].relaxed")).isEmpty();
            assertThat(trace.getString("[0].createdAt")).isNotBlank();
            Map<String, Object> chosen = trace.getMap("[0].candidates.find { it.repId == '" + local + "' }");
            assertThat(chosen).containsEntry("eligible", true).containsKeys("score", "components").doesNotContainKey("exclusion");
            assertThat(trace.getMap("[0].candidates.find { it.repId == '" + local + "' }.components")).containsOnlyKeys(
                    "skill", "language", "territory", "valueTierFit", "fairness", "idle", "headroom");
            assertThat(trace.getDouble("[0].candidates.find { it.repId == '" + local + "' }.components.territory")).isEqualTo(1.0);
            assertThat(trace.getMap("[0].candidates.find { it.repId == '" + french + "' }"))
                    .containsEntry("eligible", false).containsEntry("exclusion", "TERRITORY")
                    .containsEntry("detail", "rep does not cover US 94110").doesNotContainKey("score");
        }
    }

    @Test
    void whyNotThisRepAnswersInWordsAndData() {
        String team = Api.newTeam();
        String local = Api.rep(team, "territories", List.of("US:941"));
        String national = Api.rep(team, "territories", List.of("US"));
        String french = Api.rep(team, "territories", List.of("FR"));
        String elsewhere = Api.rep(Api.newTeam());
        try (AgentClient l = online(local); AgentClient n = online(national); AgentClient f = online(french)) {
            String lead = Api.lead(team, "country", "US", "postalCode", "94110");
            l.await("offer");

            JsonPath outranked = whyNot(lead, national);
            assertThat(outranked.getString("decisions[0].standing")).isEqualTo("OUTRANKED");
            assertThat(outranked.getInt("decisions[0].rank")).isEqualTo(2);
            assertThat(outranked.getInt("decisions[0].eligible")).isEqualTo(2);
            assertThat(outranked.getDouble("decisions[0].ahead.territory")).isEqualTo(0.5);
            assertThat(outranked.getString("decisions[0].explanation"))
                    .contains("ranked 2 of 2").contains(local).contains("territory 1.0 vs 0.5");
            assertThat(outranked.getString("answer")).contains("Right now nothing excludes " + national);
            assertThat(outranked.getMap("now")).isNull();

            JsonPath excluded = whyNot(lead, french);
            assertThat(excluded.getString("decisions[0].standing")).isEqualTo("EXCLUDED");
            assertThat(excluded.getString("decisions[0].exclusion")).isEqualTo("TERRITORY");
            assertThat(excluded.getString("now.exclusion")).isEqualTo("TERRITORY");
            assertThat(excluded.getString("answer")).contains("excluded: TERRITORY (rep does not cover US 94110)");

            assertThat(whyNot(lead, local).getString("decisions[0].standing")).isEqualTo("CHOSEN");
            assertThat(whyNot(lead, elsewhere).getString("decisions[0].standing")).isEqualTo("NOT_CONSIDERED");

            api().queryParam("rep", "nobody-" + team).get("/api/v1/leads/{id}/decisions", lead).then().statusCode(404)
                    .contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
        }
    }

    private static JsonPath whyNot(String lead, String rep) {
        return api().queryParam("rep", rep).get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200)
                .body("leadId", equalTo(lead)).body("repId", equalTo(rep)).extract().jsonPath();
    }
}
