package io.leadrouter.replica;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * PostgreSQL LISTEN/NOTIFY between the replicas, on one listening connection per process that reconnects every
 * second when it drops. A notification sent while a replica was not listening is lost to it: each listener is told
 * when its channel is listened to (again), so it can catch up.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    /** PostgreSQL refuses payloads from 8000 bytes. */
    public static final int MAX_PAYLOAD = 7900;

    private final Pool pool;
    private final Vertx vertx;
    private PgSubscriber subscriber;

    public Notifications(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    /**
     * Hands every payload on the channel to the handler, those this replica sent included; {@code onListening} runs
     * each time the channel is listened to, the first time and after every reconnection. Returns whether the channel
     * is listened to now: false before the first {@code onListening} and from the moment the connection it ran on
     * closed (a connection that died without closing is not noticed).
     */
    public synchronized BooleanSupplier listen(String channel, Consumer<String> handler, Runnable onListening) {
        boolean first = subscriber == null;
        if (first) {
            var config = ConfigProvider.getConfig();
            PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class)
                    .replaceFirst("^vertx-reactive:", ""));
            config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
            config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
            subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        }
        PgSubscriber listening = subscriber;
        AtomicReference<PgConnection> listenedOn = new AtomicReference<>();
        listening.channel(channel).subscribeHandler(ignored -> {
            listenedOn.set(listening.actualConnection());
            onListening.run();
        }).handler(handler::accept);
        if (first) {
            subscriber.connect().onFailure(failure -> LOG.warnf("Listening for notifications failed: %s",
                    failure.getMessage()));
        }
        // the subscriber forgets a closed connection at once, and reconnects on a new one
        return () -> {
            PgConnection connection = listenedOn.get();
            return connection != null && connection == listening.actualConnection();
        };
    }

    /** Sends a payload (below {@link #MAX_PAYLOAD}) to every replica listening on the channel; never fails the caller. */
    public void send(String channel, String payload) {
        pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)).subscribe()
                .with(ok -> { }, failure -> LOG.warnf("Notifying %s failed: %s", channel, failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (subscriber != null) {
                subscriber.close();
            }
        }
    }
}
