package io.leadrouter.presence;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Ends the grace period of reps who did not reconnect. */
@ApplicationScoped
public class PresenceLifecycle {

    private static final Logger LOG = Logger.getLogger(PresenceLifecycle.class);

    private final PresenceService presence;
    private final Vertx vertx;

    public PresenceLifecycle(PresenceService presence, Vertx vertx) {
        this.presence = presence;
        this.vertx = vertx;
    }

    @Scheduled(every = "${leadrouter.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> lapse() {
        return Jobs.logged(SafeContexts.run(vertx, presence::lapseDue)
                .invoke(lapsed -> lapsed.forEach(rep -> LOG.debugf("Rep %s is OFFLINE: no socket within the grace period", rep.repId()))), LOG, "Presence sweep");
    }
}
