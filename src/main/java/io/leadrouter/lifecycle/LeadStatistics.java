package io.leadrouter.lifecycle;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.event.EventSubscriber;
import io.leadrouter.event.EventType;
import io.leadrouter.event.LifecycleEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Keeps PostgreSQL's statistics of the lead table in step with a bulk load, as PostgreSQL's own advice for one is
 * (ANALYZE afterwards). Autovacuum analyzes a table up to a minute after it changed enough; until then the planner
 * plans for the table it last sampled. A pull planned on statistics taken before a batch of 100,000 leads, with the
 * queue nearly empty, read the team's leads by another index and sorted all of them on disk: 1.8 s a pull instead of
 * 0.3 ms, and pulls fell to 3 a second until autovacuum came. So once this replica has created
 * {@code analyze-after-leads} leads since its last ANALYZE, and a fifth of the table's rows at that time, it runs one
 * in the background: one at a time, never on a request's path.
 */
@ApplicationScoped
public class LeadStatistics implements EventSubscriber {

    private static final Logger LOG = Logger.getLogger(LeadStatistics.class);
    /** Of the table's rows at the last ANALYZE: growth below this leaves its statistics about right. */
    static final double GROWTH = 0.2;

    private final Pool pool;
    private final long analyzeAfterLeads;
    private final AtomicLong createdSince = new AtomicLong();
    private final AtomicBoolean analyzing = new AtomicBoolean();
    /** The table's rows by the last ANALYZE run here (pg_class.reltuples), 0 before the first. */
    private volatile double analyzedRows;

    public LeadStatistics(Pool pool, LeadRouterConfig config) {
        this.pool = pool;
        this.analyzeAfterLeads = config.analyzeAfterLeads();
    }

    @Override
    public void committed(List<LifecycleEvent> events) {
        long created = events.stream().filter(e -> e.type() == EventType.LEAD_CREATED).count();
        if (created == 0) {
            return;
        }
        long since = createdSince.addAndGet(created);
        if (since >= Math.max(analyzeAfterLeads, GROWTH * analyzedRows) && analyzing.compareAndSet(false, true)) {
            createdSince.addAndGet(-since);
            pool.query("ANALYZE lead").execute()
                    .chain(() -> pool.query("SELECT reltuples FROM pg_class WHERE oid = 'lead'::regclass").execute())
                    .subscribe().with(rows -> {
                        analyzedRows = rows.iterator().next().getDouble(0);
                        analyzing.set(false);
                    }, failure -> {
                        LOG.warnf("ANALYZE of the lead table failed: %s", failure.getMessage());
                        analyzing.set(false);
                    });
        }
    }
}
