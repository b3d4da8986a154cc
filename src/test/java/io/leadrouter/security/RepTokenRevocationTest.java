package io.leadrouter.security;

import static io.leadrouter.support.Api.api;
import static io.leadrouter.support.Api.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** A rep's tokens die with a revocation or a deactivation: refused at the handshake, open sockets closed, never revived. */
@QuarkusTest
class RepTokenRevocationTest extends SocketTest {

    private static final Duration CLOSE = Duration.ofSeconds(5);

    @Test
    void revokedTokensAreRefusedAtTheHandshakeAndTheirSocketsClosed() {
        String rep = Api.rep(Api.newTeam());
        String token = Api.token(rep);
        try (AgentClient first = online(rep); AgentClient second = AgentClient.connect(root, token)) {
            second.await("welcome");
            api().post("/api/v1/reps/{id}/tokens/revoke", rep).then().statusCode(204);
            assertThat(first.awaitClose(CLOSE)).isEqualTo(4403);
            assertThat(second.awaitClose(CLOSE)).isEqualTo(4403);
        }
        assertThat(AgentClient.handshakeStatus(root, token)).isEqualTo(401);
        try (AgentClient fresh = online(rep)) {
            assertThat(fresh.isOpen()).as("a token issued after the revocation works").isTrue();
        }
        api().post("/api/v1/reps/{id}/tokens/revoke", "nobody-" + rep).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void aDeactivationKillsTheTokensAndReactivationDoesNotReviveThem() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        String token = Api.token(rep);
        try (AgentClient agent = AgentClient.connect(root, token)) {
            agent.await("welcome");
            api().body(obj("name", rep, "team", team, "active", false)).put("/api/v1/reps/{id}", rep).then().statusCode(200);
            assertThat(agent.awaitClose(CLOSE)).isEqualTo(4403);
        }
        api().body(obj("name", rep, "team", team)).put("/api/v1/reps/{id}", rep).then().statusCode(200).body("active", equalTo(true));
        assertThat(AgentClient.handshakeStatus(root, token)).as("the old token stays dead").isEqualTo(401);

        String again = Api.token(rep);
        api().delete("/api/v1/reps/{id}", rep).then().statusCode(204);
        api().body(obj("name", rep, "team", team)).put("/api/v1/reps/{id}", rep).then().statusCode(200);
        assertThat(AgentClient.handshakeStatus(root, again)).isEqualTo(401);
        assertThat(AgentClient.handshakeStatus(root, Api.token(rep))).isEqualTo(101);
    }

    @Test
    void aSocketThatMissedTheOrderToCloseCanDoNothingMore() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient agent = online(rep)) {
            String lead = Api.lead(team);
            agent.send(Map.of("type", "accept", "offerId", agent.await("offer").path("offerId").asText()));
            agent.await("assigned");
            // revoked on a replica whose notice never came: the epoch moved, this socket was not told
            new Database(pool).rows("UPDATE rep SET token_epoch = token_epoch + 1 WHERE id = $1", rep);
            agent.send(Map.of("type", "close", "leadId", lead, "outcome", "CONVERTED"));
            assertThat(agent.await("error").path("code").asText()).isEqualTo("TOKEN_REVOKED");
            assertThat(agent.awaitClose(CLOSE)).isEqualTo(4403);
            assertThat(Api.getLead(lead).getString("status")).as("the frame did nothing").isEqualTo("ASSIGNED");
        }
    }

    /** Pull, accept and decline check the token in their own statements: refused, the socket closed, nothing changed. */
    @Test
    void theFramesThatChangeLeadsAreRefusedOnceTheEpochMoved() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        Database db = new Database(pool);
        String offered;
        String offerId;
        try (AgentClient agent = online(rep)) {
            offered = Api.lead(team);
            offerId = agent.await("offer").path("offerId").asText();
            moveEpoch(db, rep);
            agent.send(Map.of("type", "accept", "offerId", offerId));
            assertRefused(agent);
        }
        try (AgentClient agent = online(rep)) {
            moveEpoch(db, rep);
            agent.send(Map.of("type", "decline", "offerId", offerId));
            assertRefused(agent);
        }
        assertThat(Api.getLead(offered).getString("status")).as("neither accepted nor declined").isEqualTo("OFFERED");
        try (AgentClient agent = online(rep)) {
            agent.send(Map.of("type", "status", "status", "AWAY"));
            agent.await("status");
            String queued = Api.lead(team);
            moveEpoch(db, rep);
            agent.send(Map.of("type", "pull"));
            assertRefused(agent);
            assertThat(Api.getLead(queued).getString("status")).as("not pulled").isEqualTo("QUEUED");
        }
        assertThat(Api.getRep(rep).getInt("activeLoad")).as("only the open offer's load").isEqualTo(1);
    }

    /**
     * A revocation that commits while a pull's reserve waits for the rep's row refuses the pull, although the pull read
     * the rep before: the reserve re-checks the epoch on the row it locks.
     */
    @Test
    void aPullWhoseReserveWaitsForARevocationIsRefused() {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        Database db = new Database(pool);
        try (AgentClient agent = online(rep)) {
            agent.send(Map.of("type", "status", "status", "AWAY"));
            agent.await("status");
            String queued = Api.lead(team);
            // the matcher's attempt on the lead holds it locked while it runs, and a pull skips a locked lead
            Api.awaitNoMatch(queued);
            SqlConnection revoking = pool.getConnection().await().indefinitely();
            boolean committed = false;
            try {
                revoking.query("BEGIN").execute().await().indefinitely();
                revoking.preparedQuery("UPDATE rep SET token_epoch = token_epoch + 1 WHERE id = $1").execute(Tuple.of(rep))
                        .await().indefinitely();
                agent.send(Map.of("type", "pull"));
                // the pull read the rep (the revocation is not committed) and now waits for the rep's row
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.count(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%active_load + %'") > 0);
                revoking.query("COMMIT").execute().await().indefinitely();
                committed = true;
            } finally {
                // the pool takes the connection back as it is: left in the transaction, the service's next
                // statements on it would run inside it, and never commit
                if (!committed) {
                    revoking.query("ROLLBACK").execute().await().indefinitely();
                }
                revoking.close().await().indefinitely();
            }
            assertRefused(agent);
            assertThat(Api.getLead(queued).getString("status")).as("not pulled").isEqualTo("QUEUED");
            assertThat(Api.getRep(rep).getInt("activeLoad")).isZero();
        }
    }

    /** Revoked on a replica whose notice never came: the epoch moved, the socket was not told. */
    private static void moveEpoch(Database db, String rep) {
        db.rows("UPDATE rep SET token_epoch = token_epoch + 1 WHERE id = $1", rep);
    }

    private static void assertRefused(AgentClient agent) {
        assertThat(agent.await("error").path("code").asText()).isEqualTo("TOKEN_REVOKED");
        assertThat(agent.awaitClose(CLOSE)).isEqualTo(4403);
    }

    @Test
    void anOrderFromAnotherReplicaClosesTheRepsSocketsHere() {
        String rep = Api.rep(Api.newTeam());
        try (AgentClient agent = online(rep)) {
            String order = "{\"origin\":\"" + UUID.randomUUID() + "\",\"rep\":\"" + rep + "\",\"close\":4403,\"reason\":\"rep deactivated\"}";
            new Database(pool).rows("SELECT pg_notify('leadrouter_frames', $1)", order);
            assertThat(agent.awaitClose(CLOSE)).isEqualTo(4403);
        }
    }
}
