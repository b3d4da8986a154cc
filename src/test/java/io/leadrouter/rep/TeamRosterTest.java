package io.leadrouter.rep;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The team roster an offer ranks, read in one statement with each rep's document: what the document says (absences,
 * working hours in the rep's timezone) and what its columns say (skills) both reach the live decision.
 */
@QuarkusTest
class TeamRosterTest extends SocketTest {

    @Test
    void anOfferSeesEachRepsDocumentAndColumnsAsTheRosterStoresThem() {
        String team = Api.newTeam();
        Instant now = Instant.now();
        String away = Api.rep(team, "skills", Map.of("sap", 3), "outOfOffice",
                List.of(Map.of("from", now.minus(1, ChronoUnit.HOURS).toString(), "to", now.plus(1, ChronoUnit.DAYS).toString())));
        // working hours two hours ahead of now, every day, in the rep's own timezone
        int later = (now.atOffset(ZoneOffset.ofHours(5)).getHour() + 2) % 24;
        List<Map<String, String>> shift = List.of(Map.of("start", "%02d:00".formatted(later), "end", "%02d:30".formatted(later)));
        String offHours = Api.rep(team, "skills", Map.of("sap", 3), "timezone", "Asia/Karachi", "workingHours",
                Map.of("mon", shift, "tue", shift, "wed", shift, "thu", shift, "fri", shift, "sat", shift, "sun", shift));
        String unskilled = Api.rep(team, "skills", Map.of("sap", 1));
        String chosen = Api.rep(team, "skills", Map.of("sap", 4), "timezone", "Europe/Berlin");
        try (AgentClient agent = online(chosen)) {
            String lead = Api.lead(team, "requiredSkills", Map.of("sap", 2));
            JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(10));
            assertThat(offer.path("offerId").asText()).isNotEmpty();
            JsonPath[] decisions = new JsonPath[1];
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                decisions[0] = api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200).extract().jsonPath();
                assertThat(decisions[0].getList("kind")).contains("OFFER");
            });
            JsonPath trace = decisions[0];
            assertThat(trace.getString("find { it.kind == 'OFFER' }.chosenRepId")).isEqualTo(chosen);
            assertThat(exclusion(trace, away)).isEqualTo("OUT_OF_OFFICE");
            assertThat(exclusion(trace, offHours)).isEqualTo("OUTSIDE_HOURS");
            assertThat(exclusion(trace, unskilled)).isEqualTo("MISSING_SKILL");
            assertThat(exclusion(trace, chosen)).isNull();
            // once assigned and closed, the rep's row has timestamps the roster reads back for the next lead
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            agent.await("assigned");
            agent.send(Map.of("type", "close", "leadId", lead, "outcome", "CONTACTED"));
            agent.await("closed");
            String next = Api.lead(team, "requiredSkills", Map.of("sap", 2));
            agent.await("offer", o -> o.path("lead").path("id").asText().equals(next), Duration.ofSeconds(10));
            assertThat(Api.getRep(chosen).getString("lastAssignedAt")).isNotNull();
        }
    }

    private static String exclusion(JsonPath trace, String rep) {
        return trace.getString("find { it.kind == 'OFFER' }.candidates.find { it.repId == '" + rep + "' }.exclusion");
    }
}
