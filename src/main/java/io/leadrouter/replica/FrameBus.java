package io.leadrouter.replica;

import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.common.SafeContexts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Frames for reps whose sockets may be on another replica, over PostgreSQL LISTEN/NOTIFY: a frame
 * sent to a rep is published with this replica as its origin, and every replica delivers the
 * frames of other origins to the sockets it holds. Only frames for reps that may hold a socket on
 * another replica are published ({@link RepsElsewhere}): a notifying transaction costs a commit
 * PostgreSQL serialises with every other one. A replica that opens a rep's first socket tells the
 * others on the same channel ({@link ReplicaRegistry#socketOpened}), and each replica reads the
 * socket rows of the others again at every heartbeat and whenever it listens (again); while it is
 * not listening, or has not read them yet, it publishes every frame.
 *
 * <p>A notification can be missed (a dropped listening connection); offers are the frames that matter, and
 * {@code OfferRedelivery} catches those by polling. Orders to close a rep's sockets (deactivated, tokens revoked)
 * travel the same way; a socket a missed order left open can no longer act, since every frame checks the rep's token
 * first.
 */
@ApplicationScoped
public class FrameBus {

    private static final Logger LOG = Logger.getLogger(FrameBus.class);
    static final String CHANNEL = "leadrouter_frames";

    /** What another replica asks of the sockets it does not hold. */
    public interface Receiver {
        /** A frame's text for every socket of the rep here. */
        void frame(String repId, String frameText);

        /** Close every socket of the rep here with this code and reason. */
        void close(String repId, int code, String reason);
    }

    private final Notifications notifications;
    private final ObjectMapper mapper;
    private final ReplicaRegistry registry;
    private final Vertx vertx;
    private final UUID origin;
    private final RepsElsewhere elsewhere = new RepsElsewhere();
    private final Counter notified;
    private final Counter keptHere;
    private volatile Receiver receiver;
    private volatile BooleanSupplier listening = () -> false;

    public FrameBus(Notifications notifications, ObjectMapper mapper, ReplicaRegistry registry, Vertx vertx, MeterRegistry meters) {
        this.notifications = notifications;
        this.mapper = mapper;
        this.registry = registry;
        this.vertx = vertx;
        this.origin = registry.id();
        this.notified = frames(meters, "notified", "notified to the other replicas: the rep may hold a socket on one");
        this.keptHere = frames(meters, "local", "not notified: no other replica holds a socket of the rep");
    }

    private static Counter frames(MeterRegistry meters, String route, String description) {
        return Counter.builder("leadrouter.frames").description("Frames (and orders to close sockets) for a rep, " + description)
                .tag("route", route).register(meters);
    }

    /** Who gets what other replicas publish. */
    public void onFrame(Receiver receiver) {
        this.receiver = receiver;
        listening = notifications.listen(CHANNEL, this::received, () -> {
            elsewhere.listening();
            SafeContexts.run(vertx, () -> refresh("listening")).subscribe().with(ok -> {
            }, failure -> LOG.warnf("Reading the reps with a socket on another replica failed: %s", failure.getMessage()));
        });
    }

    /** Publishes a frame for a rep to the other replicas that may hold its sockets; never fails the caller. */
    public void publish(String repId, String frameText) {
        if (mustNotify(repId)) {
            send(repId, message(repId).put("frame", frameText));
        }
    }

    /** Asks the other replicas that may hold the rep's sockets to close them; never fails the caller. */
    public void publishClose(String repId, int code, String reason) {
        if (mustNotify(repId)) {
            send(repId, message(repId).put("close", code).put("reason", reason));
        }
    }

    /**
     * Reads again which reps have a socket on another replica (in a session of the caller's context): what a missed
     * notification left out, and who left.
     */
    public Uni<Void> refresh(String cause) {
        return Uni.createFrom().deferred(() -> {
            long started = elsewhere.refreshStarts();
            return registry.repsWithSocketsElsewhere().invoke(reps -> {
                elsewhere.refreshed(started, reps);
                LOG.debugf("Read the reps with a socket on another replica on %s: %d; frames for the others stay here: %s", cause,
                        reps.size(), elsewhere.known());
            });
        }).replaceWithVoid();
    }

    private boolean mustNotify(String repId) {
        boolean mayBeElsewhere = !listening.getAsBoolean() || elsewhere.mayHoldSocket(repId);
        if (!mayBeElsewhere) {
            keptHere.increment();
        }
        return mayBeElsewhere;
    }

    private ObjectNode message(String repId) {
        return mapper.createObjectNode().put("origin", origin.toString()).put("rep", repId);
    }

    private void send(String repId, ObjectNode message) {
        String payload;
        try {
            payload = mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (payload.length() >= Notifications.MAX_PAYLOAD) {
            LOG.debugf("Frame for %s too large to notify (%d bytes); the poll or welcome delivers it", repId, payload.length());
            return;
        }
        notified.increment();
        notifications.send(CHANNEL, payload);
    }

    private void received(String payload) {
        try {
            JsonNode message = mapper.readTree(payload);
            if (origin.toString().equals(message.path("origin").asText())) {
                return;
            }
            String repId = message.path("rep").asText();
            // {"origin", "rep", "opened": true}: sent by the transaction that records a rep's first socket on a replica
            if (message.has("opened")) {
                elsewhere.opened(repId);
            } else if (message.has("close")) {
                receiver.close(repId, message.path("close").asInt(), message.path("reason").asText());
            } else {
                receiver.frame(repId, message.path("frame").asText());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not the message: a parser's message quotes the frame, and frames carry leads
            LOG.warnf("Ignoring a frame notification that could not be read (%s)", e.getClass().getSimpleName());
        }
    }
}
