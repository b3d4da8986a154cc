package io.leadrouter.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Runs the upkeep on the sweep's beat; what it requeues reaches the matcher and the reps as events. */
@ApplicationScoped
public class UpkeepJob {

    private static final Logger LOG = Logger.getLogger(UpkeepJob.class);

    private final LeadUpkeep upkeep;
    private final Vertx vertx;

    public UpkeepJob(LeadUpkeep upkeep, Vertx vertx) {
        this.upkeep = upkeep;
        this.vertx = vertx;
    }

    @Scheduled(every = "${leadrouter.sweep-interval}", delayed = "${leadrouter.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return Jobs.logged(SafeContexts.run(vertx, upkeep::agePriorities)
                .chain(() -> SafeContexts.run(vertx, upkeep::escalateHeld))
                .chain(() -> SafeContexts.run(vertx, upkeep::takeBackUntended)), LOG, "Lead upkeep");
    }
}
