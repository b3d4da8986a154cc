package io.leadrouter.stats;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class FairnessStatsTest extends SocketTest {

    @Test
    void assignmentsAndValueAreMeasuredAgainstTheWeightedShare() {
        String team = Api.newTeam();
        String heavy = Api.rep(team, "weight", 2.0, "maxLoad", 5);
        String light = Api.rep(team, "weight", 1.0, "maxLoad", 5);
        try (AgentClient h = online(heavy); AgentClient l = online(light)) {
            for (int value : new int[] {1000, 2000, 3000}) {
                String lead = Api.lead(team, "value", value);
                AgentClient offered = awaitOffer(lead, h, l);
                offered.send(Map.of("type", "accept", "offerId", offered.all("offer").stream()
                        .filter(o -> o.path("lead").path("id").asText().equals(lead)).findFirst().orElseThrow()
                        .path("offerId").asText()));
                offered.await("assigned", a -> a.path("lead").path("id").asText().equals(lead), java.time.Duration.ofSeconds(5));
            }
        }
        JsonPath stats = api().queryParam("period", "day").queryParam("team", team).get("/api/v1/stats/fairness")
                .then().statusCode(200).extract().jsonPath();
        assertThat(stats.getString("period")).isEqualTo("day");
        assertThat(Instant.parse(stats.getString("from"))).isBefore(Instant.now());
        assertThat(stats.getList("teams")).hasSize(1);
        assertThat(stats.getLong("teams[0].assigned")).isEqualTo(3);
        assertThat(stats.getDouble("teams[0].value")).isEqualTo(6000.0);
        long heavyAssigned = stats.getLong("teams[0].reps.find { it.repId == '" + heavy + "' }.assigned");
        long lightAssigned = stats.getLong("teams[0].reps.find { it.repId == '" + light + "' }.assigned");
        assertThat(heavyAssigned + lightAssigned).isEqualTo(3);
        assertThat(stats.getDouble("teams[0].reps.find { it.repId == '" + heavy + "' }.weightedShare")).isEqualTo(0.667);
        assertThat(stats.getDouble("teams[0].reps.find { it.repId == '" + heavy + "' }.expected")).isEqualTo(2.0);
        assertThat(stats.getDouble("teams[0].reps.find { it.repId == '" + heavy + "' }.ratio"))
                .isCloseTo(heavyAssigned / 2.0, within(0.001));
        // the fairness score steers the third lead to the rep behind its share: 2 and 1 is exactly fair
        assertThat(heavyAssigned).isEqualTo(2);
        assertThat(stats.getDouble("teams[0].maxMinRatio")).isEqualTo(1.0);
        assertThat(stats.getDouble("teams[0].gini")).isZero();
    }

    @Test
    void onlyDayAndWeekArePeriods() {
        api().queryParam("period", "month").get("/api/v1/stats/fairness").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"))
                .body("errors[0].field", equalTo("period"));
        api().queryParam("period", "week").queryParam("team", Api.newTeam()).get("/api/v1/stats/fairness").then()
                .statusCode(200).body("teams.size()", equalTo(0)).body("period", equalTo("week"));
    }

    private static AgentClient awaitOffer(String lead, AgentClient... reps) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> java.util.Arrays.stream(reps)
                .anyMatch(r -> r.all("offer").stream().anyMatch(o -> o.path("lead").path("id").asText().equals(lead))));
        for (AgentClient rep : reps) {
            for (JsonNode offer : rep.all("offer")) {
                if (offer.path("lead").path("id").asText().equals(lead)) {
                    return rep;
                }
            }
        }
        throw new AssertionError("no offer of " + lead);
    }
}
