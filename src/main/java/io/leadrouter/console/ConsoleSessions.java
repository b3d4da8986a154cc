package io.leadrouter.console;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.WebSocketConnection;

/** The manager consoles connected to this process. */
@ApplicationScoped
public class ConsoleSessions {

    private static final Logger LOG = Logger.getLogger(ConsoleSessions.class);

    private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
    private final ObjectMapper mapper;

    public ConsoleSessions(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void add(WebSocketConnection connection) {
        connections.add(connection);
    }

    void remove(WebSocketConnection connection) {
        connections.remove(connection);
    }

    boolean isEmpty() {
        return connections.isEmpty();
    }

    void broadcast(ConsoleFrame frame) {
        String text = encode(frame);
        connections.forEach(connection -> send(connection, text));
    }

    void send(WebSocketConnection connection, ConsoleFrame frame) {
        send(connection, encode(frame));
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
