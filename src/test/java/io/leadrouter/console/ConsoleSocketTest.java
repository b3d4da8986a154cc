package io.leadrouter.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code /ws/manager}: API keys only, then the history and a snapshot at once. */
@QuarkusTest
class ConsoleSocketTest {

    private static final String MANAGER = "/ws/manager";

    @TestHTTPResource("/")
    URI root;

    @Test
    void theUpgradeNeedsAnApiKey() {
        assertThat(AgentClient.handshakeStatus(root, MANAGER, null)).as("no credential").isEqualTo(401);
        assertThat(AgentClient.handshakeStatus(root, MANAGER, "not-a-key")).as("a wrong key").isEqualTo(401);
        assertThat(AgentClient.handshakeStatus(root, MANAGER, Api.token(Api.rep(Api.newTeam()))))
                .as("a rep token is no API key").isEqualTo(403);
        assertThat(AgentClient.handshakeStatus(root, MANAGER, Api.KEY)).isEqualTo(101);
    }

    @Test
    void theConsoleGetsTheHistoryThenASnapshotAtOnce() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        String lead = Api.lead(team);
        // the matcher records the lead's NO_MATCH decision after the intake has answered
        await().atMost(Duration.ofSeconds(10)).until(() -> Api.api().get("/api/v1/leads/{id}/decisions", lead).then()
                .extract().jsonPath().getList("$").size() > 0);
        try (AgentClient console = AgentClient.connect(root, MANAGER, Api.KEY)) {
            JsonNode history = console.await("history");
            assertThat(history.path("samples").isArray()).isTrue();

            JsonNode snapshot = console.await("snapshot");
            assertThat(snapshot.path("at").asText()).isNotEmpty();
            JsonNode queue = snapshot.path("queue");
            assertThat(queue.fieldNames()).toIterable().contains("depth", "byPriority", "oldestWaitingSeconds", "mode",
                    "availableReps", "held", "teams");
            JsonNode teamQueue = queue.path("teams").path(team);
            assertThat(teamQueue.path("depth").asLong()).as("the lead waits: its team's rep is offline").isEqualTo(1);
            assertThat(teamQueue.path("mode").asText()).isIn("PUSH", "PULL");
            assertThat(teamQueue.fieldNames()).toIterable().contains("byPriority", "oldestWaitingSeconds", "availableReps");

            JsonNode repRow = find(snapshot.path("reps"), r -> rep.equals(r.path("rep").path("id").asText()));
            assertThat(repRow.path("rep").fieldNames()).toIterable().contains("presence", "connected", "activeLoad",
                    "maxLoad", "capUsage", "lastAssignedAt", "team");
            assertThat(repRow.fieldNames()).toIterable().contains("offersToday", "acceptedToday", "acceptRate");

            assertThat(snapshot.path("decisions").isArray()).isTrue();
            JsonNode decision = snapshot.path("decisions").get(0);
            assertThat(decision).as("the lead's routing decision is in the feed").isNotNull();
            assertThat(decision.fieldNames()).toIterable().contains("id", "leadId", "company", "attempt", "kind", "mode",
                    "policyVersion", "relaxed", "candidates", "createdAt");

            JsonNode fairness = snapshot.path("fairness");
            assertThat(fairness.path("period").asText()).isEqualTo("day");
            JsonNode teamFairness = find(fairness.path("teams"), t -> team.equals(t.path("team").asText()));
            assertThat(teamFairness.fieldNames()).toIterable().contains("assigned", "gini", "reps");
            assertThat(teamFairness.path("reps").get(0).fieldNames()).toIterable().contains("repId", "weight", "assigned",
                    "expected", "weightedShare");

            assertThat(console.await("snapshot").path("at").asText()).as("snapshots keep coming on the console tick")
                    .isNotEqualTo(snapshot.path("at").asText());
        }
    }

    private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> matching) {
        for (JsonNode node : array) {
            if (matching.test(node)) {
                return node;
            }
        }
        throw new AssertionError("nothing matching in " + array);
    }
}
