package io.leadrouter.replica;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Joins the replicas at start, beats while running (and reads again which reps have a socket on another replica), and
 * leaves last at shutdown (after the sockets closed).
 */
@ApplicationScoped
public class ReplicaLifecycle {

    private static final Logger LOG = Logger.getLogger(ReplicaLifecycle.class);
    /** After every other shutdown observer (the socket drain runs at the default priority). */
    static final int LEAVE_LAST = 10_000;

    private final ReplicaRegistry registry;
    private final FrameBus frames;
    private final Vertx vertx;
    private final Event<ReplicaRegistry.Reaped> reaped;

    public ReplicaLifecycle(ReplicaRegistry registry, FrameBus frames, Vertx vertx, Event<ReplicaRegistry.Reaped> reaped) {
        this.registry = registry;
        this.frames = frames;
        this.vertx = vertx;
        this.reaped = reaped;
    }

    void onStart(@Observes StartupEvent event) {
        int orphans = SafeContexts.run(vertx, registry::register).await().indefinitely();
        LOG.infof("Replica %s joined; %d reps shown connected without a socket on a live replica start their grace period",
                registry.id(), orphans);
    }

    @Scheduled(every = "${leadrouter.heartbeat-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> beat() {
        return Jobs.logged(SafeContexts.run(vertx, registry::beat)
                .invoke(beat -> {
                    if (beat.wasReaped()) {
                        LOG.warnf("Replica %s was silent past the replica timeout and the others reaped it: its sockets are"
                                + " closed so that its reps reconnect and start afresh", registry.id());
                        reaped.fire(new ReplicaRegistry.Reaped(registry.id()));
                    }
                    if (beat.orphans() > 0) {
                        LOG.infof("A replica stopped beating: %d of its reps start their grace period", beat.orphans());
                    }
                })
                // the reaped replicas' socket rows are gone with them: their reps' frames stay here from now on
                .chain(() -> SafeContexts.run(vertx, () -> frames.refresh("heartbeat"))), LOG, "Replica heartbeat");
    }

    void onStop(@Observes @Priority(LEAVE_LAST) ShutdownEvent event) {
        try {
            SafeContexts.run(vertx, registry::leave).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Leaving the replicas failed (%s); the others reap this one after the replica timeout", e.getMessage());
        }
    }
}
