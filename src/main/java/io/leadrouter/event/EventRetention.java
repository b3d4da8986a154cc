package io.leadrouter.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Keeps the event log to {@code leadrouter.event-retention}: every replica prunes, a bounded batch at a time. */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    private final EventLog log;
    private final LeadRouterConfig config;
    private final Vertx vertx;

    public EventRetention(EventLog log, LeadRouterConfig config, Vertx vertx) {
        this.log = log;
        this.config = config;
        this.vertx = vertx;
    }

    @Scheduled(every = "${leadrouter.event-prune-interval}", delayed = "${leadrouter.event-prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return Jobs.logged(pruneAll(0), LOG, "Event pruning");
    }

    private Uni<Integer> pruneAll(int before) {
        return SafeContexts.run(vertx, () -> log.prune(config.eventRetention())).chain(deleted -> {
            int total = before + deleted;
            if (deleted == EventLog.PRUNE_BATCH) {
                return pruneAll(total);
            }
            if (total > 0) {
                LOG.infof("Pruned %d events older than %s", total, config.eventRetention());
            }
            return Uni.createFrom().item(total);
        });
    }
}
