package io.leadrouter.console;

import jakarta.annotation.security.RolesAllowed;

import org.jboss.logging.Logger;

import io.leadrouter.common.SafeContexts;
import io.leadrouter.security.Credential;
import io.leadrouter.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

/**
 * The manager console's live feed: a console session (or a key that may read) at the handshake, in the
 * sub-protocol list from a browser, then server frames only — the history, a snapshot at once
 * and one per console tick — until the session ends.
 */
@WebSocket(path = "/ws/manager")
@RolesAllowed(Roles.READ)
public class ConsoleSocket {

    private static final Logger LOG = Logger.getLogger(ConsoleSocket.class);

    private final ConsoleSessions sessions;
    private final ConsoleFeed feed;
    private final Vertx vertx;
    private final SecurityIdentity identity;

    public ConsoleSocket(ConsoleSessions sessions, ConsoleFeed feed, Vertx vertx, SecurityIdentity identity) {
        this.sessions = sessions;
        this.identity = identity;
        this.feed = feed;
        this.vertx = vertx;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        sessions.add(connection, Credential.of(identity));
        sessions.send(connection, feed.history());
        SafeContexts.run(vertx, feed::snapshot).subscribe().with(snapshot -> sessions.send(connection, snapshot),
                failure -> LOG.warn("Console snapshot failed", failure));
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        sessions.remove(connection);
    }
}
