package io.leadrouter.agent;

import static io.leadrouter.support.Api.api;
import static io.leadrouter.support.Api.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AgentSocketTest {

    @TestHTTPResource("/")
    URI root;

    @Test
    void handshakeWithoutAValidRepTokenIsRefusedBeforeUpgrade() {
        String rep = Api.rep(Api.newTeam());
        assertThat(AgentClient.handshakeStatus(root, null)).isEqualTo(401);
        assertThat(AgentClient.handshakeStatus(root, "lr1.forged.signature")).isEqualTo(401);
        assertThat(AgentClient.handshakeStatus(root, Api.KEY)).as("an API key is no rep token").isEqualTo(401);
        String token = Api.token(rep);
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertThat(AgentClient.handshakeStatus(root, tampered)).isEqualTo(401);
        assertThat(AgentClient.handshakeStatus(root, token)).isEqualTo(101);
    }

    @Test
    void anOfferHidesTheLeadsEmailAndPhoneUntilTheRepAccepts() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        String lead = Api.lead(team, "company", "Initech", "email", "peter@initech.example", "phone", "+15550100");
        JsonNode offer;
        try (AgentClient agent = AgentClient.connect(root, Api.token(rep))) {
            agent.await("welcome");
            offer = agent.await("offer");
            assertThat(offer.path("lead").path("id").asText()).isEqualTo(lead);
            assertThat(offer.path("lead").path("company").asText()).isEqualTo("Initech");
            assertThat(offer.path("lead").path("email").isNull()).isTrue();
            assertThat(offer.path("lead").path("phone").isNull()).isTrue();
        }
        try (AgentClient again = AgentClient.connect(root, Api.token(rep))) {
            JsonNode pending = again.await("welcome").path("pendingOffers").get(0);
            assertThat(pending.path("lead").path("email").isNull()).as("nor does the welcome's pending offer").isTrue();
            again.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            JsonNode assigned = again.await("assigned");
            assertThat(assigned.path("lead").path("email").asText()).isEqualTo("peter@initech.example");
            assertThat(assigned.path("lead").path("phone").asText()).isEqualTo("+15550100");
        }
    }

    @Test
    void welcomeCarriesTheRepsStateAndModeOnBothTokenTransports() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient agent = AgentClient.connect(root, Api.token(rep))) {
            JsonNode welcome = agent.await("welcome");
            assertThat(welcome.path("repId").asText()).isEqualTo(rep);
            assertThat(welcome.path("status").asText()).isEqualTo("AVAILABLE");
            assertThat(welcome.path("mode").asText()).isEqualTo("PUSH");
            assertThat(welcome.path("activeLeads").isArray()).isTrue();
            assertThat(welcome.path("pendingOffers").isArray()).isTrue();
            assertThat(welcome.path("queueDepth").isNumber()).isTrue();
            assertThat(welcome.has("slaSeconds")).as("the built-in policy has no untended SLA").isFalse();
        }
        try (AgentClient agent = AgentClient.connectWithQueryToken(root, Api.token(rep))) {
            assertThat(agent.await("welcome").path("repId").asText()).isEqualTo(rep);
        }
    }

    @Test
    void statusChangesReachEveryTabOfTheRepAndTheRoster() {
        String rep = Api.rep(Api.newTeam());
        String token = Api.token(rep);
        try (AgentClient tab1 = AgentClient.connect(root, token); AgentClient tab2 = AgentClient.connect(root, token)) {
            tab1.await("welcome");
            tab2.await("welcome");
            tab1.send(Map.of("type", "status", "status", "BUSY"));
            assertThat(tab1.await("status").path("status").asText()).isEqualTo("BUSY");
            assertThat(tab2.await("status").path("status").asText()).isEqualTo("BUSY");
            assertThat(Api.getRep(rep).getString("presence")).isEqualTo("BUSY");
            tab1.close();
            // one tab left: the rep is still connected, not in its grace period
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> Api.getRep(rep).getBoolean("connected"));
        }
    }

    @Test
    void aDroppedSocketKeepsPresenceForTheGracePeriodThenGoesOffline() {
        String rep = Api.rep(Api.newTeam());
        String token = Api.token(rep);
        AgentClient agent = AgentClient.connect(root, token);
        agent.await("welcome");
        agent.send(Map.of("type", "status", "status", "AWAY"));
        agent.await("status");
        agent.abort();
        // within the grace period (2 s in tests) a reconnect keeps the status
        await().atMost(Duration.ofSeconds(2)).until(() -> !Api.getRep(rep).getBoolean("connected"));
        assertThat(Api.getRep(rep).getString("presence")).isEqualTo("AWAY");
        try (AgentClient again = AgentClient.connect(root, token)) {
            assertThat(again.await("welcome").path("status").asText()).isEqualTo("AWAY");
        }
        // after it the rep is OFFLINE, and comes back with the initial status
        await().atMost(Duration.ofSeconds(6)).until(() -> "OFFLINE".equals(Api.getRep(rep).getString("presence")));
        try (AgentClient later = AgentClient.connect(root, token)) {
            assertThat(later.await("welcome").path("status").asText()).isEqualTo("AVAILABLE");
        }
    }

    static Stream<Arguments> badFrames() {
        UUID someId = UUID.randomUUID();
        return Stream.of(
                Arguments.of("not json", "BAD_FRAME"),
                Arguments.of("[1,2,3]", "BAD_FRAME"),
                Arguments.of("{\"status\":\"AVAILABLE\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":42}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"dance\"}", "UNKNOWN_FRAME"),
                Arguments.of("{\"type\":\"status\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"status\",\"status\":\"SLEEPING\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"status\",\"status\":\"OFFLINE\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"accept\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"accept\",\"offerId\":\"not-a-uuid\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"accept\",\"offerId\":\"" + someId + "\"}", "OFFER_NOT_FOUND"),
                Arguments.of("{\"type\":\"decline\",\"offerId\":\"" + someId + "\"}", "OFFER_NOT_FOUND"),
                Arguments.of("{\"type\":\"close\",\"leadId\":\"" + someId + "\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"close\",\"leadId\":\"" + someId + "\",\"outcome\":\"WON\"}", "BAD_FRAME"),
                Arguments.of("{\"type\":\"close\",\"leadId\":\"" + someId + "\",\"outcome\":\"CONVERTED\"}", "NOT_FOUND"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void aBadFrameGetsAnErrorFrameAndTheConnectionStaysOpen(String frame, String code) {
        String rep = Api.rep(Api.newTeam());
        try (AgentClient agent = AgentClient.connect(root, Api.token(rep))) {
            agent.await("welcome");
            agent.send(frame);
            JsonNode error = agent.await("error");
            assertThat(error.path("code").asText()).isEqualTo(code);
            assertThat(error.path("message").asText()).isNotBlank();
            // still open and serving
            agent.send(Map.of("type", "status", "status", "BUSY"));
            assertThat(agent.await("status").path("status").asText()).isEqualTo("BUSY");
        }
        assertThat(Api.getRep(rep).getInt("activeLoad")).isZero();
    }

    @Test
    void aDeactivatedRepCannotConnect() {
        String rep = Api.rep(Api.newTeam());
        String token = Api.token(rep);
        api().delete("/api/v1/reps/{id}", rep).then().statusCode(204);
        assertThat(AgentClient.handshakeStatus(root, token)).as("its tokens died with the deactivation").isEqualTo(401);
        api().body(obj("team", "x")).put("/api/v1/reps/{id}", rep).then().statusCode(200);
    }
}
