package io.leadrouter.routing;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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

/** Holiday calendars of the policy take reps out of routing for their own local day, through the running service. */
@QuarkusTest
class HolidayFlowTest extends SocketTest {

    /* Kiritimati is UTC+14 and Pago Pago UTC-11: whatever the instant, their dates differ, so today and tomorrow in
       Kiritimati are never a day in Pago Pago */
    static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati");
    static final ZoneId PAGO_PAGO = ZoneId.of("Pacific/Pago_Pago");

    @AfterEach
    void restoreBuiltInPolicy() {
        api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
    }

    @Test
    void oneCalendarTakesOutTheRepWhoseLocalDayItIsAndNotTheOtherZone() {
        String team = Api.newTeam();
        LocalDate today = LocalDate.ofInstant(Instant.now(), KIRITIMATI);
        api().body(Map.of("holidays", List.of(Map.of("name", "Line Islands day", "dates",
                List.of(today.toString(), today.plusDays(1).toString()), "teams", List.of(team)))))
                .put("/api/v1/routing/policy").then().statusCode(200);
        String islander = Api.rep(team, "timezone", KIRITIMATI.getId(), "region", "KI");
        String samoan = Api.rep(team, "timezone", PAGO_PAGO.getId(), "region", "AS");
        try (AgentClient onHoliday = online(islander); AgentClient working = online(samoan)) {
            String lead = Api.lead(team);
            JsonNode offer = working.await("offer", Duration.ofSeconds(10));
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(lead);
            JsonPath trace = api().get("/api/v1/leads/{id}/decisions", lead).then().statusCode(200).extract().jsonPath();
            assertThat(trace.getString("[0].candidates.find { it.repId == '" + islander + "' }.exclusion")).isEqualTo("HOLIDAY");
            assertThat(trace.getString("[0].candidates.find { it.repId == '" + islander + "' }.detail"))
                    .contains("Line Islands day").contains("Pacific/Kiritimati");
            assertThat(onHoliday.all("offer")).isEmpty();
        }
    }

    @Test
    void aRegionCalendarCoversTheCountrysSubdivisionsAndTheLeadWaitsRatherThanBeingHeld() {
        String team = Api.newTeam();
        LocalDate today = LocalDate.ofInstant(Instant.now(), KIRITIMATI);
        api().body(Map.of("holidays", List.of(Map.of("name", "KI public", "dates",
                List.of(today.toString(), today.plusDays(1).toString()), "regions", List.of("KI")))))
                .put("/api/v1/routing/policy").then().statusCode(200);
        String islander = Api.rep(team, "timezone", KIRITIMATI.getId(), "region", "KI-L");
        try (AgentClient agent = online(islander)) {
            String lead = Api.lead(team);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api().get("/api/v1/leads/{id}/decisions", lead)
                    .then().extract().jsonPath().getList("kind")).contains("NO_MATCH"));
            api().get("/api/v1/leads/{id}/decisions", lead).then()
                    .body("[0].candidates.find { it.repId == '" + islander + "' }.exclusion", equalTo("HOLIDAY"));
            assertThat(Api.getLead(lead).getString("status")).as("a holiday ends: the lead waits, it is not held").isEqualTo("QUEUED");
            // pulling is an explicit request, as with out of office
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(lead);
        }
    }

    @Test
    void aBadDateIsRefusedOnItsField() {
        api().body(Map.of("holidays", List.of(Map.of("name", "broken", "dates", List.of("2026-12-25", "2026-13-01")))))
                .put("/api/v1/routing/policy").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_POLICY")).body("errors.field", hasItem("holidays[0].dates[1]"));
    }
}
