package io.leadrouter.console;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.security.Credential;
import io.leadrouter.security.Revocations;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The manager consoles connected to this process, each with the credential it signed in with: a console whose
 * session ends (expired, deleted, or its key revoked, on any replica) is closed with 4401 and signs in again.
 */
@ApplicationScoped
public class ConsoleSessions {

    private static final Logger LOG = Logger.getLogger(ConsoleSessions.class);
    /** The console's sign-in ended: the page asks for a key again. */
    static final CloseReason SIGNED_OUT = new CloseReason(4401, "session ended");
    /** A revocation may have been missed: reconnect, and the handshake checks the credential again. */
    static final CloseReason CHECK_AGAIN = new CloseReason(1012, "sign in again");

    private final Map<WebSocketConnection, Credential> connections = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;

    public ConsoleSessions(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void add(WebSocketConnection connection, Credential credential) {
        connections.put(connection, credential);
    }

    void remove(WebSocketConnection connection) {
        connections.remove(connection);
    }

    boolean isEmpty() {
        return connections.isEmpty();
    }

    /** To every console whose session lasts; the others are closed. */
    void broadcast(ConsoleFrame frame) {
        String text = encode(frame);
        Instant now = Instant.now();
        connections.forEach((connection, credential) -> {
            if (credential.expiresAt() != null && !credential.expiresAt().isAfter(now)) {
                close(connection, SIGNED_OUT);
            } else {
                send(connection, text);
            }
        });
    }

    void send(WebSocketConnection connection, ConsoleFrame frame) {
        send(connection, encode(frame));
    }

    void revoked(@Observes Revocations.Revoked revoked) {
        connections.forEach((connection, credential) -> {
            if (revoked.covers(credential)) {
                close(connection, revoked.kind() == null ? CHECK_AGAIN : SIGNED_OUT);
            }
        });
    }

    private void close(WebSocketConnection connection, CloseReason reason) {
        connections.remove(connection);
        connection.close(reason).subscribe().with(ok -> { }, failure -> LOG.debugf(failure, "Closing a console failed"));
    }

    private static void send(WebSocketConnection connection, String text) {
        if (connection.isOpen()) {
            connection.sendText(text).subscribe().with(ok -> { }, failure -> LOG.debugf(failure, "Console frame not sent"));
        }
    }

    private String encode(ConsoleFrame frame) {
        try {
            return mapper.writerFor(ConsoleFrame.class).writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
