package io.leadrouter.security;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;

/** Console sessions: opened with a key that may read, reading only (an admin key's may act as its key), ended by sign-out, an admin, expiry or the key's revocation. */
@QuarkusTest
class ConsoleSessionTest {

    private static final String MANAGER = "/ws/manager";
    private static final Duration CLOSE = Duration.ofSeconds(5);

    @TestHTTPResource("/")
    URI root;
    @Inject
    Pool pool;

    @Test
    void aKeyThatMayReadOpensASessionThatReadsAndNothingElse() {
        JsonPath opened = open(Api.key("read"));
        String token = opened.getString("token");
        assertThat(token).startsWith("lrs_");
        assertThat(Instant.parse(opened.getString("expiresAt"))).isBetween(Instant.now().plus(Duration.ofHours(7)),
                Instant.now().plus(Duration.ofHours(9)));
        Api.as(token).get("/api/v1/queue").then().statusCode(200);
        assertThat(AgentClient.handshakeStatus(root, MANAGER, token)).isEqualTo(101);
        Api.as(token).body(Map.of("company", "Initech", "team", Api.newTeam())).post("/api/v1/leads").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
        Api.as(token).get("/api/v1/keys").then().statusCode(403);
        Api.as(token).body(Map.of("reason", "coaching")).post("/api/v1/reps/{id}/pause", "rep-nobody").then().statusCode(403);
        Api.as(token).post("/api/v1/console/sessions").then().statusCode(403).body("code", equalTo("NEEDS_A_KEY"));

        Api.as(Api.key("intake")).post("/api/v1/console/sessions").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        Api.as("not-a-key").post("/api/v1/console/sessions").then().statusCode(401);
    }

    @Test
    void aSessionOfAnAdminKeyMayDoTheManagerActions() {
        String token = open(Api.KEY).getString("token");
        // past the role check: the rep does not exist
        Api.as(token).body(Map.of("reason", "coaching")).post("/api/v1/reps/{id}/pause", "rep-nobody").then().statusCode(404);
    }

    @Test
    void signingOutEndsTheSessionAndClosesItsConsole() {
        // a read key's session: an admin key's session may end any session, as its key may
        JsonPath opened = open(Api.key("read"));
        String token = opened.getString("token");
        JsonPath other = open(Api.KEY);
        try (AgentClient console = AgentClient.connect(root, MANAGER, token)) {
            console.await("snapshot");
            Api.as(token).delete("/api/v1/console/sessions/{id}", other.getString("id")).then().statusCode(403)
                    .body("code", equalTo("NOT_YOUR_SESSION"));
            Api.as(token).delete("/api/v1/console/sessions/{id}", opened.getString("id")).then().statusCode(204);
            assertThat(console.awaitClose(CLOSE)).isEqualTo(4401);
        }
        Api.as(token).get("/api/v1/queue").then().statusCode(401);
        assertThat(AgentClient.handshakeStatus(root, MANAGER, token)).isEqualTo(401);

        api().get("/api/v1/console/sessions").then().statusCode(200).body("id", hasItem(other.getString("id")))
                .body("id", not(hasItem(opened.getString("id"))));
        api().delete("/api/v1/console/sessions/{id}", other.getString("id")).then().statusCode(204);
        Api.as(other.getString("token")).get("/api/v1/queue").then().statusCode(401);
        api().delete("/api/v1/console/sessions/{id}", other.getString("id")).then().statusCode(404);
    }

    @Test
    void revokingTheKeyEndsItsSessions() {
        JsonPath key = api().body(Map.of("name", "manager laptop", "roles", java.util.List.of("read"))).post("/api/v1/keys")
                .then().statusCode(201).extract().jsonPath();
        String token = open(key.getString("key")).getString("token");
        try (AgentClient console = AgentClient.connect(root, MANAGER, token)) {
            console.await("snapshot");
            api().delete("/api/v1/keys/{id}", key.getString("id")).then().statusCode(204);
            assertThat(console.awaitClose(CLOSE)).isEqualTo(4401);
        }
        Api.as(token).get("/api/v1/queue").then().statusCode(401);
    }

    @Test
    void anExpiredSessionIsRefused() {
        JsonPath opened = open(Api.key("read"));
        new Database(pool).rows("UPDATE console_session SET expires_at = now() - interval '1 second' WHERE id = $1",
                java.util.UUID.fromString(opened.getString("id")));
        Api.as(opened.getString("token")).get("/api/v1/queue").then().statusCode(401);
        assertThat(AgentClient.handshakeStatus(root, MANAGER, opened.getString("token"))).isEqualTo(401);
        api().get("/api/v1/console/sessions").then().body("id", not(hasItem(opened.getString("id"))));
    }

    private static JsonPath open(String key) {
        return Api.as(key).post("/api/v1/console/sessions").then().statusCode(201).extract().jsonPath();
    }
}
