package io.leadrouter.agent;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The agent sockets of this process, by rep. Several tabs of one rep are several connections of
 * one presence: every frame for the rep goes to all of them.
 */
@ApplicationScoped
public class AgentSessions {

    private static final Logger LOG = Logger.getLogger(AgentSessions.class);

    private final Map<String, Set<WebSocketConnection>> byRep = new ConcurrentHashMap<>();
    private final Map<String, String> teamOfRep = new ConcurrentHashMap<>();
    private final ObjectWriter writer;

    public AgentSessions(ObjectMapper mapper) {
        this.writer = mapper.writerFor(ServerFrame.class);
    }

    /** Registers a connection; true when it is the rep's first on this process. */
    public boolean add(String repId, String team, WebSocketConnection connection) {
        teamOfRep.put(repId, team);
        Set<WebSocketConnection> connections = byRep.computeIfAbsent(repId, id -> ConcurrentHashMap.newKeySet());
        connections.add(connection);
        return connections.size() == 1;
    }

    /** Forgets a connection; true when the rep has no connection left on this process. */
    public boolean remove(String repId, WebSocketConnection connection) {
        boolean[] last = { false };
        byRep.computeIfPresent(repId, (id, connections) -> {
            connections.remove(connection);
            last[0] = connections.isEmpty();
            return last[0] ? null : connections;
        });
        if (last[0]) {
            teamOfRep.remove(repId);
        }
        return last[0];
    }

    public boolean isConnected(String repId) {
        return byRep.containsKey(repId);
    }

    public void send(String repId, ServerFrame frame) {
        Set<WebSocketConnection> connections = byRep.get(repId);
        if (connections != null) {
            String text = encode(frame);
            connections.forEach(connection -> send(connection, text));
        }
    }

    public void send(WebSocketConnection connection, ServerFrame frame) {
        send(connection, encode(frame));
    }

    public void sendToTeam(String team, ServerFrame frame) {
        String text = encode(frame);
        teamOfRep.forEach((repId, repTeam) -> {
            if (repTeam.equals(team)) {
                byRep.getOrDefault(repId, Set.of()).forEach(connection -> send(connection, text));
            }
        });
    }

    /** Teams with at least one rep connected here. */
    public Set<String> connectedTeams() {
        return Set.copyOf(teamOfRep.values());
    }

    public void closeAll(String repId, CloseReason reason) {
        byRep.getOrDefault(repId, Set.of())
                .forEach(connection -> connection.close(reason).subscribe().with(ok -> {
                }, failure -> LOG.debugf("Closing a socket of %s failed: %s", repId, failure)));
    }

    private static void send(WebSocketConnection connection, String text) {
        if (connection.isOpen()) {
            connection.sendText(text).subscribe().with(ok -> {
            }, failure -> LOG.debugf("Sending to connection %s failed: %s", connection.id(), failure));
        }
    }

    private String encode(ServerFrame frame) {
        try {
            return writer.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not encode " + frame, e);
        }
    }
}
