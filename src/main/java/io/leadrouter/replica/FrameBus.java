package io.leadrouter.replica;

import java.util.UUID;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Frames for reps whose sockets may be on another replica, over PostgreSQL LISTEN/NOTIFY: every
 * frame sent to a rep is published with this replica as its origin, and every replica delivers
 * the frames of other origins to the sockets it holds. A notification can be missed (a dropped
 * listening connection); offers are the frames that matter, and {@link OfferRedelivery} catches
 * those by polling. Orders to close a rep's sockets (deactivated, tokens revoked) travel the same way; a socket a
 * missed order left open can no longer act, since every frame checks the rep's token first.
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
    private final UUID origin;
    private volatile Receiver receiver;

    public FrameBus(Notifications notifications, ObjectMapper mapper, ReplicaRegistry registry) {
        this.notifications = notifications;
        this.mapper = mapper;
        this.origin = registry.id();
    }

    /** Who gets what other replicas publish. */
    public void onFrame(Receiver receiver) {
        this.receiver = receiver;
        notifications.listen(CHANNEL, this::received, () -> { });
    }

    /** Publishes a frame for a rep to the other replicas; never fails the caller. */
    public void publish(String repId, String frameText) {
        send(repId, message(repId).put("frame", frameText));
    }

    /** Asks the other replicas to close the rep's sockets; never fails the caller. */
    public void publishClose(String repId, int code, String reason) {
        send(repId, message(repId).put("close", code).put("reason", reason));
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
        notifications.send(CHANNEL, payload);
    }

    private void received(String payload) {
        try {
            JsonNode message = mapper.readTree(payload);
            if (origin.toString().equals(message.path("origin").asText())) {
                return;
            }
            String repId = message.path("rep").asText();
            if (message.has("close")) {
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
