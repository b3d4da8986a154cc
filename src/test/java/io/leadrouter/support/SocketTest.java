package io.leadrouter.support;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;

import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.mutiny.sqlclient.Pool;

/** Tests with reps on real sockets; after each one the invariants must hold in the database. */
public abstract class SocketTest {

    @TestHTTPResource("/")
    protected URI root;
    @Inject
    protected Pool pool;

    @AfterEach
    void invariantsHold() {
        new Database(pool).assertInvariants();
    }

    /** The rep connected and welcomed (AVAILABLE unless it was in its grace period). */
    protected AgentClient online(String rep) {
        AgentClient agent = AgentClient.connect(root, Api.token(rep));
        agent.await("welcome");
        return agent;
    }
}
