package io.leadrouter.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code /ws/manager}: API keys only, then the history and a snapshot at once. */
@QuarkusTest
class ConsoleSocketTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @Test
    void theUpgradeNeedsAnApiKey() {
        assertThat(handshakeStatus(null)).as("no credential").isEqualTo(401);
        assertThat(handshakeStatus("not-a-key")).as("a wrong key").isEqualTo(401);
        assertThat(handshakeStatus(Api.token(Api.rep(Api.newTeam())))).as("a rep token is no API key").isEqualTo(403);
        assertThat(handshakeStatus(Api.KEY)).isEqualTo(101);
    }

    @Test
    void theConsoleGetsTheHistoryThenASnapshotAtOnce() throws Exception {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        Api.lead(team);
        LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        WebSocket socket = open(Api.KEY, frames);
        try {
            JsonNode history = frames.poll(5, TimeUnit.SECONDS);
            assertThat(history).as("a first frame").isNotNull();
            assertThat(history.path("type").asText()).isEqualTo("history");
            assertThat(history.path("samples").isArray()).isTrue();

            JsonNode snapshot = frames.poll(5, TimeUnit.SECONDS);
            assertThat(snapshot).as("a snapshot right after the history").isNotNull();
            assertThat(snapshot.path("type").asText()).isEqualTo("snapshot");
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

            JsonNode next = frames.poll(5, TimeUnit.SECONDS);
            assertThat(next).as("snapshots keep coming on the console tick").isNotNull();
            assertThat(next.path("type").asText()).isEqualTo("snapshot");
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
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

    /** The HTTP status the upgrade was refused with, or 101 if it was accepted. */
    private int handshakeStatus(String credential) {
        try {
            open(credential, new LinkedBlockingQueue<>()).abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Opens the socket as the console does: the credential in the sub-protocol list. */
    private WebSocket open(String credential, LinkedBlockingQueue<JsonNode> frames) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (credential != null) {
            builder.subprotocols("bearer-token-carrier", "quarkus-http-upgrade#Authorization#Bearer%20" + credential);
        }
        URI uri = URI.create(root.resolve("/ws/manager").toString().replaceFirst("^http", "ws"));
        return builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(MAPPER.readTree(partial.toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException("not JSON: " + partial, e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).join();
    }
}
