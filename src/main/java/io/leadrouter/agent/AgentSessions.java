package io.leadrouter.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.replica.FrameBus;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The agent sockets of this process, by rep. Several tabs of one rep are several connections of
 * one presence: every frame for the rep goes to all of them, on this replica directly and on the
 * others through the {@link FrameBus}. Offers delivered here are remembered, so the redelivery
 * poll sends only those a notification missed.
 */
@ApplicationScoped
public class AgentSessions {

    private static final Logger LOG = Logger.getLogger(AgentSessions.class);
    private static final Duration FORGET_AFTER = Duration.ofSeconds(30);

    private final Map<String, Set<WebSocketConnection>> byRep = new ConcurrentHashMap<>();
    /** Every open socket of a rep here, from its opening on: what the rep's socket limit counts. */
    private final Map<String, Set<WebSocketConnection>> opened = new ConcurrentHashMap<>();
    private final int socketsPerRep;
    private final Map<String, List<String>> teamsOfRep = new ConcurrentHashMap<>();
    /** Offers delivered to the rep's sockets here, with when; kept while they are open. */
    private final Map<String, Map<UUID, Instant>> deliveredOffers = new ConcurrentHashMap<>();
    private final ObjectWriter writer;
    private final ObjectMapper mapper;
    private final FrameBus bus;

    public AgentSessions(ObjectMapper mapper, FrameBus bus, LeadRouterConfig config) {
        this.socketsPerRep = config.limits().socketsPerRep();
        this.writer = mapper.writerFor(ServerFrame.class);
        this.mapper = mapper;
        this.bus = bus;
        bus.onFrame(new FrameBus.Receiver() {
            @Override
            public void frame(String repId, String frameText) {
                deliverPublished(repId, frameText);
            }

            @Override
            public void close(String repId, int code, String reason) {
                closeHere(repId, new CloseReason(code, reason));
            }
        });
    }

    /** Whether the rep holds as many sockets here as it may: the next handshake is refused. */
    public boolean isFull(String repId) {
        return opened.getOrDefault(repId, Set.of()).size() >= socketsPerRep;
    }

    /** Counts an opening socket against the rep's limit; false, and not counted, when the rep is at it already. */
    public boolean admit(String repId, WebSocketConnection connection) {
        boolean[] admitted = { false };
        opened.compute(repId, (id, connections) -> {
            Set<WebSocketConnection> counted = connections != null ? connections : ConcurrentHashMap.newKeySet();
            admitted[0] = counted.size() < socketsPerRep && counted.add(connection);
            return counted.isEmpty() ? null : counted;
        });
        return admitted[0];
    }

    /** A socket closed: it no longer counts against the rep's limit. */
    public void release(String repId, WebSocketConnection connection) {
        opened.computeIfPresent(repId, (id, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    /** Registers a connection; true when it is the rep's first on this process. */
    public boolean add(String repId, List<String> teams, WebSocketConnection connection) {
        teamsOfRep.put(repId, teams);
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
            teamsOfRep.remove(repId);
            deliveredOffers.remove(repId);
        }
        return last[0];
    }

    /** To every socket of the rep, on every replica. */
    public void send(String repId, ServerFrame frame) {
        String text = encode(frame);
        sendHere(repId, frame, text);
        bus.publish(repId, text);
    }

    /** To the rep's sockets on this replica only (what the redelivery poll found missing). */
    public void sendHere(String repId, ServerFrame frame) {
        sendHere(repId, frame, encode(frame));
    }

    public void send(WebSocketConnection connection, ServerFrame frame) {
        if (frame instanceof ServerFrame.Welcome welcome) {
            welcome.pendingOffers().forEach(offer -> delivered(welcome.repId(), offer.offerId()));
        }
        send(connection, encode(frame));
    }

    /** Reps with a socket on this replica. */
    public Set<String> connectedReps() {
        return Set.copyOf(byRep.keySet());
    }

    /** Whether this offer already reached the rep's sockets here. */
    public boolean wasDelivered(String repId, UUID offerId) {
        return deliveredOffers.getOrDefault(repId, Map.of()).containsKey(offerId);
    }

    /**
     * Forgets delivered offers of the rep that are no longer open. Only those delivered a while
     * ago: a poll that read the offers just before one was made must not forget it.
     */
    public void retainDelivered(String repId, Set<UUID> open) {
        Instant settled = Instant.now().minus(FORGET_AFTER);
        deliveredOffers.computeIfPresent(repId, (id, offers) -> {
            offers.entrySet().removeIf(e -> !open.contains(e.getKey()) && e.getValue().isBefore(settled));
            return offers;
        });
    }

    /** Closes every socket here with 1012 (service restart): clients reconnect, to another replica. */
    public void closeAllForRestart() {
        CloseReason restart = new CloseReason(1012, "service restart");
        byRep.keySet().forEach(repId -> closeHere(repId, restart));
    }

    private void sendHere(String repId, ServerFrame frame, String text) {
        Set<WebSocketConnection> connections = byRep.get(repId);
        if (connections != null) {
            if (frame instanceof ServerFrame.OfferMade offer) {
                delivered(repId, offer.offerId());
            }
            connections.forEach(connection -> send(connection, text));
        }
    }

    private void deliverPublished(String repId, String text) {
        Set<WebSocketConnection> connections = byRep.get(repId);
        if (connections == null) {
            return;
        }
        try {
            JsonNode frame = mapper.readTree(text);
            if ("offer".equals(frame.path("type").asText())) {
                delivered(repId, UUID.fromString(frame.path("offerId").asText()));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.debugf("A published frame for %s was not readable (%s)", repId, e.getClass().getSimpleName());
        }
        connections.forEach(connection -> send(connection, text));
    }

    private void delivered(String repId, UUID offerId) {
        if (byRep.containsKey(repId)) {
            deliveredOffers.computeIfAbsent(repId, id -> new ConcurrentHashMap<>()).putIfAbsent(offerId, Instant.now());
        }
    }

    public void sendToTeam(String team, ServerFrame frame) {
        String text = encode(frame);
        teamsOfRep.forEach((repId, repTeams) -> {
            if (repTeams.contains(team)) {
                byRep.getOrDefault(repId, Set.of()).forEach(connection -> send(connection, text));
            }
        });
    }

    /** Closes every socket of the rep, on every replica. */
    public void closeAll(String repId, CloseReason reason) {
        closeHere(repId, reason);
        bus.publishClose(repId, reason.getCode(), reason.getMessage());
    }

    private void closeHere(String repId, CloseReason reason) {
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
            throw new IllegalStateException("Could not encode a " + frame.getClass().getSimpleName() + " frame", e);
        }
    }
}
