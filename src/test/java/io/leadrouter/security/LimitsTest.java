package io.leadrouter.security;

import static io.leadrouter.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** 429 with Retry-After for an address guessing keys and for a key past its limit; a cap on a rep's sockets; idle status frames cost nothing. */
@QuarkusTest
class LimitsTest extends SocketTest {

    @ConfigProperty(name = "leadrouter.limits.failed-auth-per-address")
    int failedAuthPerAddress;
    @ConfigProperty(name = "leadrouter.limits.sockets-per-rep")
    int socketsPerRep;

    @Test
    void anAddressThatKeepsFailingToAuthenticateIsRefusedWith429() {
        String guesser = "203.0.113." + (1 + (int) (Math.random() * 250));
        // the failures are counted in minute windows: within twice the limit, one window holds the limit wherever its
        // boundary falls
        Response refused = null;
        for (int i = 0; i < 2 * failedAuthPerAddress + 1 && refused == null; i++) {
            Response response = from(guesser, "lr_guess-" + i);
            refused = response.statusCode() == 429 ? response : null;
            if (refused == null) {
                response.then().statusCode(401);
            }
        }
        assertThat(refused).as("a 429 within twice the limit").isNotNull();
        refused.then().contentType("application/problem+json").body("code", equalTo("RATE_LIMITED"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        from(guesser, Api.KEY).then().statusCode(429); // a valid key from that address is held back too
        from("198.51.100.7", Api.KEY).then().statusCode(200); // another address is not held back
    }

    @Test
    void aKeyPastItsOwnLimitIsRefusedWith429() {
        String key = api().body(Map.of("name", "web form", "roles", List.of("read"), "requestsPerMinute", 3)).post("/api/v1/keys")
                .then().statusCode(201).body("requestsPerMinute", equalTo(3)).extract().path("key");
        // seven calls fall in at most two minute windows, so one of them holds four
        Response refused = null;
        for (int i = 0; i < 7 && refused == null; i++) {
            Response response = Api.as(key).get("/api/v1/queue");
            refused = response.statusCode() == 429 ? response : null;
        }
        assertThat(refused).as("a 429 within seven calls").isNotNull();
        refused.then().contentType("application/problem+json").body("code", equalTo("RATE_LIMITED"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        Api.as(Api.KEY).get("/api/v1/queue").then().statusCode(200); // other keys are not held back
        api().body(Map.of("name", "x", "roles", List.of("read"), "requestsPerMinute", 0)).post("/api/v1/keys").then().statusCode(400)
                .body("errors.field", equalTo(List.of("requestsPerMinute")));
    }

    @Test
    void aRepHoldsAtMostItsSocketLimitOnAReplica() {
        String rep = Api.rep(Api.newTeam());
        String token = Api.token(rep);
        List<AgentClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < socketsPerRep; i++) {
                AgentClient tab = AgentClient.connect(root, token);
                tab.await("welcome");
                tabs.add(tab);
            }
            assertThat(AgentClient.handshakeStatus(root, token)).isEqualTo(429);
            tabs.remove(0).close();
            await(() -> AgentClient.handshakeStatus(root, token) == 101);
        } finally {
            tabs.forEach(AgentClient::close);
        }
    }

    @Test
    void aStatusFrameThatChangesNothingWritesNothing() {
        String rep = Api.rep(Api.newTeam());
        Database database = new Database(pool);
        try (AgentClient agent = online(rep)) {
            agent.send(Map.of("type", "status", "status", "BUSY"));
            assertThat(agent.await("status").path("status").asText()).isEqualTo("BUSY");
            String version = database.rows("SELECT xmin::text FROM rep WHERE id = $1", rep).get(0).getString(0);
            long events = database.count("SELECT count(*) FROM lifecycle_event WHERE rep_id = $1", rep);
            for (int i = 0; i < 3; i++) {
                agent.send(Map.of("type", "status", "status", "BUSY"));
                assertThat(agent.await("status").path("status").asText()).isEqualTo("BUSY");
            }
            assertThat(database.rows("SELECT xmin::text FROM rep WHERE id = $1", rep).get(0).getString(0))
                    .as("the rep's row was not written").isEqualTo(version);
            assertThat(database.count("SELECT count(*) FROM lifecycle_event WHERE rep_id = $1", rep)).isEqualTo(events);
        }
    }

    private static Response from(String address, String key) {
        return given().header("X-Forwarded-For", address).header("Authorization", "Bearer " + key).get("/api/v1/queue");
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition);
    }

}
