package io.leadrouter.routing;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;

/** The team's mode follows its load with hysteresis; pull takes the best lead the rep may take. */
@QuarkusTest
class ModeAndPullTest extends SocketTest {

    private static String accepted(AgentClient agent) {
        JsonNode offer = agent.await("offer");
        agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
        return agent.await("assigned").path("lead").path("id").asText();
    }

    @Test
    void aBacklogSwitchesTheTeamToPullAndDrainingItSwitchesBackToPush() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient agent = online(rep)) {
            Api.lead(team);
            String first = accepted(agent);
            // full rep, three waiting: 3 queued per free point reaches the PULL threshold
            String low = Api.lead(team, "score", 0);
            String high = Api.lead(team, "score", 90);
            String mid = Api.lead(team, "score", 50);
            JsonNode pullMode = agent.await("mode", Duration.ofSeconds(5));
            assertThat(pullMode.path("mode").asText()).isEqualTo("PULL");
            assertThat(pullMode.path("queueDepth").asInt()).isEqualTo(3);
            api().queryParam("team", team).get("/api/v1/queue").then().body("mode", equalTo("PULL"));
            try (AgentClient newcomer = online(Api.rep(team))) {
                assertThat(newcomer.all("welcome").get(0).path("mode").asText()).isEqualTo("PULL");
            }

            // in PULL nothing is pushed when capacity frees: the rep pulls, best priority first
            agent.send(Map.of("type", "close", "leadId", first, "outcome", "CONVERTED"));
            agent.await("closed");
            assertThat(agent.receives("offer", f -> true, Duration.ofMillis(1500))).isFalse();
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(high);
            // in PULL the reps are told the queue depth as it moves, so "Next lead" shows what waits
            JsonNode depth = agent.await("mode", m -> m.path("queueDepth").asInt() == 2, Duration.ofSeconds(5));
            assertThat(depth.path("mode").asText()).isEqualTo("PULL");
            agent.send(Map.of("type", "close", "leadId", high, "outcome", "CONTACTED"));
            agent.await("closed");
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(mid);

            // one queued against one... and then none: back to PUSH, and the last lead is pushed
            agent.send(Map.of("type", "close", "leadId", mid, "outcome", "CONTACTED"));
            agent.await("closed");
            JsonNode pushMode = agent.await("mode", m -> m.path("mode").asText().equals("PUSH"), Duration.ofSeconds(5));
            assertThat(pushMode.path("queueDepth").asInt()).isLessThanOrEqualTo(1);
            JsonNode offer = agent.await("offer", Duration.ofSeconds(5));
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(low);
            var trace = api().get("/api/v1/leads/{id}/decisions", high).then().extract().jsonPath();
            // waiting behind a full rep was recorded once, then the pull
            assertThat(trace.getList("kind")).containsExactly("NO_MATCH", "PULL");
            assertThat(trace.getString("[0].candidates.find { it.repId == '" + rep + "' }.exclusion")).isEqualTo("AT_CAPACITY");
            assertThat(trace.getString("[1].mode")).isEqualTo("PULL");
            assertThat(trace.getString("[1].chosenRepId")).isEqualTo(rep);
        }
    }

    @Test
    void pullTakesTheBestLeadTheRepIsEligibleForAndSaysWhenThereIsNone() {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 2, "skills", Map.of("saas", 2), "languages", java.util.List.of("en"));
        // an offline colleague qualifies for the leads this rep cannot take, so they wait in the queue
        Api.rep(team, "skills", Map.of("saas", 5), "languages", java.util.List.of("fr"));
        try (AgentClient agent = online(rep)) {
            agent.send(Map.of("type", "status", "status", "BUSY"));
            agent.await("status");
            String tooHard = Api.lead(team, "score", 100, "requiredSkills", Map.of("saas", 5));
            String otherLanguage = Api.lead(team, "score", 100, "language", "fr");
            String older = Api.lead(team, "score", 50);
            String newer = Api.lead(team, "score", 50);
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(older);
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("assigned").path("lead").path("id").asText()).isEqualTo(newer);
            agent.send(Map.of("type", "pull"));
            assertThat(agent.await("error").path("code").asText()).isEqualTo("AT_CAPACITY");
            agent.send(Map.of("type", "close", "leadId", older, "outcome", "CONTACTED"));
            agent.await("closed");
            agent.send(Map.of("type", "pull"));
            agent.await("queue-empty");
            assertThat(Api.getLead(tooHard).getString("status")).isEqualTo("QUEUED");
            assertThat(Api.getLead(otherLanguage).getString("status")).isEqualTo("QUEUED");
            assertThat(Api.getRep(rep).getInt("activeLoad")).isEqualTo(1);
        }
    }
}
