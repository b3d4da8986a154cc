package io.leadrouter.replica;

import java.util.UUID;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Frames for reps whose sockets may be on another replica, over PostgreSQL LISTEN/NOTIFY: every
 * frame sent to a rep is published with this replica as its origin, and every replica delivers
 * the frames of other origins to the sockets it holds. A notification can be missed (a dropped
 * listening connection); offers are the frames that matter, and {@link OfferRedelivery} catches
 * those by polling.
 */
@ApplicationScoped
public class FrameBus {

    private static final Logger LOG = Logger.getLogger(FrameBus.class);
    static final String CHANNEL = "leadrouter_frames";
    /** PostgreSQL refuses payloads from 8000 bytes; larger frames are left to the poll and to welcome. */
    static final int MAX_PAYLOAD = 7900;

    private final Pool pool;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final UUID origin;
    private PgSubscriber subscriber;
    private volatile BiConsumer<String, String> receiver = (rep, frame) -> { };

    public FrameBus(Pool pool, Vertx vertx, ObjectMapper mapper, ReplicaRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.mapper = mapper;
        this.origin = registry.id();
    }

    /** Who gets the frames other replicas publish: (rep id, frame text). */
    public void onFrame(BiConsumer<String, String> receiver) {
        this.receiver = receiver;
        listen();
    }

    /** Publishes a frame for a rep to the other replicas; never fails the caller. */
    public void publish(String repId, String frameText) {
        String payload;
        try {
            payload = mapper.writeValueAsString(mapper.createObjectNode().put("origin", origin.toString())
                    .put("rep", repId).put("frame", frameText));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (payload.length() >= MAX_PAYLOAD) {
            LOG.debugf("Frame for %s too large to notify (%d bytes); the poll or welcome delivers it", repId, payload.length());
            return;
        }
        pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload)).subscribe()
                .with(ok -> { }, failure -> LOG.warnf("Publishing a frame for %s failed: %s", repId, failure.getMessage()));
    }

    private synchronized void listen() {
        if (subscriber != null) {
            return;
        }
        var config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class)
                .replaceFirst("^vertx-reactive:", ""));
        config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(CHANNEL).handler(this::received);
        subscriber.connect().onFailure(failure -> LOG.warnf("Listening for frames failed (%s); offers still arrive by polling",
                failure.getMessage()));
    }

    private void received(String payload) {
        try {
            JsonNode message = mapper.readTree(payload);
            if (!origin.toString().equals(message.path("origin").asText())) {
                receiver.accept(message.path("rep").asText(), message.path("frame").asText());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("Ignoring a frame notification that could not be read: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
