package io.leadrouter.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.common.Sql;
import io.leadrouter.event.EventSubscriber;
import io.leadrouter.event.LifecycleEvent;
import io.leadrouter.lead.Lead;
import io.leadrouter.lifecycle.Decision;
import io.leadrouter.lifecycle.RepService;
import io.leadrouter.queue.QueueService;
import io.leadrouter.queue.QueueView;
import io.leadrouter.stats.FairnessService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * What the manager console shows, pushed over its socket: a snapshot on every tick while a console
 * is connected, and sooner when this replica commits a lifecycle event; and a queue-depth history
 * sampled all the time so a console opened now can chart the last 30 minutes.
 */
@ApplicationScoped
public class ConsoleFeed implements EventSubscriber {

    private static final Logger LOG = Logger.getLogger(ConsoleFeed.class);
    /** The soonest a lifecycle event brings the next snapshot: a busy team does not turn the console into a load. */
    static final Duration EARLY_REFRESH = Duration.ofMillis(500);
    static final Duration HISTORY = Duration.ofMinutes(30);
    static final int FEED_SIZE = 30;

    /** Per rep, offers made today (UTC) and how many were resolved and accepted. */
    private static final String OFFERS_TODAY = """
            SELECT rep_id, count(*), count(*) FILTER (WHERE state <> 'OPEN'), count(*) FILTER (WHERE state = 'ACCEPTED')
            FROM offer WHERE created_at >= :from GROUP BY rep_id
            """;

    private final QueueService queue;
    private final RepService reps;
    private final FairnessService fairness;
    private final ConsoleSessions sessions;
    private final Vertx vertx;
    private final Deque<ConsoleFrame.QueueSample> history = new ArrayDeque<>();
    private final AtomicBoolean pushing = new AtomicBoolean();
    private volatile long lastPushAt = System.nanoTime();

    public ConsoleFeed(QueueService queue, RepService reps, FairnessService fairness, ConsoleSessions sessions, Vertx vertx) {
        this.queue = queue;
        this.reps = reps;
        this.fairness = fairness;
        this.sessions = sessions;
        this.vertx = vertx;
    }

    @Scheduled(every = "${leadrouter.console-interval}", delayed = "${leadrouter.console-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return push();
    }

    /**
     * A change committed here (a lead offered, held, closed, a rep's status...) shows at once rather than at the next
     * tick, at most every {@link #EARLY_REFRESH}; changes made on other replicas show at the tick.
     */
    @Override
    public void committed(List<LifecycleEvent> events) {
        if (!sessions.isEmpty() && System.nanoTime() - lastPushAt >= EARLY_REFRESH.toNanos()) {
            push().subscribe().with(ignored -> {
            });
        }
    }

    /** One snapshot to every console, unless none is connected or one is being built. */
    private Uni<Void> push() {
        if (sessions.isEmpty() || !pushing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        lastPushAt = System.nanoTime();
        return Jobs.logged(SafeContexts.run(vertx, this::snapshot).invoke(sessions::broadcast), LOG, "Console snapshot")
                .eventually(() -> pushing.set(false));
    }

    @Scheduled(every = "${leadrouter.console-history-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return Jobs.logged(SafeContexts.run(vertx, () -> Panache.withSession(() -> queue.snapshot(null))).invoke(this::record),
                LOG, "Queue sample");
    }

    synchronized ConsoleFrame.History history() {
        return new ConsoleFrame.History(List.copyOf(history));
    }

    private synchronized void record(QueueView view) {
        Map<String, Map<Integer, Long>> byTeam = new LinkedHashMap<>();
        view.teams().forEach((team, teamQueue) -> byTeam.put(team, teamQueue.byPriority()));
        Instant now = Instant.now();
        history.addLast(new ConsoleFrame.QueueSample(now, byTeam));
        while (!history.isEmpty() && history.peekFirst().at().isBefore(now.minus(HISTORY))) {
            history.removeFirst();
        }
    }

    /** The console's whole picture, read in one session. */
    Uni<ConsoleFrame.Snapshot> snapshot() {
        Instant today = FairnessService.periodStart("day", Instant.now());
        return Panache.withSession(() -> queue.snapshot(null).chain(queueView -> reps.list(null)
                .chain(roster -> Sql.rows(OFFERS_TODAY, Map.of("from", today)).chain(offers -> decisions()
                        .chain(feed -> fairness.measure("day", null).map(fair -> {
                            Map<String, Object[]> byRep = new HashMap<>();
                            offers.forEach(row -> byRep.put((String) row[0], row));
                            List<ConsoleFrame.RepActivity> activity = roster.stream().filter(r -> r.active()).map(r -> {
                                Object[] row = byRep.get(r.id());
                                long made = row == null ? 0 : ((Number) row[1]).longValue();
                                long resolved = row == null ? 0 : ((Number) row[2]).longValue();
                                long accepted = row == null ? 0 : ((Number) row[3]).longValue();
                                return new ConsoleFrame.RepActivity(r, made, accepted,
                                        resolved == 0 ? null : Math.round(1000.0 * accepted / resolved) / 1000.0);
                            }).toList();
                            return new ConsoleFrame.Snapshot(Instant.now(), queueView, activity, feed, fair);
                        }))))));
    }

    private static Uni<List<ConsoleFrame.DecisionSummary>> decisions() {
        return Decision.<Decision> findAll(Sort.descending("id")).page(Page.ofSize(FEED_SIZE)).list().chain(decisions -> {
            List<UUID> leadIds = decisions.stream().map(d -> d.leadId).distinct().toList();
            Uni<List<Lead>> leads = leadIds.isEmpty() ? Uni.createFrom().item(List.of()) : Lead.list("id in ?1", leadIds);
            return leads.map(found -> {
                Map<UUID, String> companies = new HashMap<>();
                found.forEach(l -> companies.put(l.id, l.company != null ? l.company : l.name));
                List<ConsoleFrame.DecisionSummary> feed = new ArrayList<>(decisions.size());
                for (Decision d : decisions) {
                    feed.add(new ConsoleFrame.DecisionSummary(d.id, d.leadId, companies.get(d.leadId), d.attempt, d.kind, d.mode,
                            d.chosenRepId, d.policyVersion, d.trace.relaxed() == null ? List.of() : d.trace.relaxed(),
                            d.trace.reason(), d.trace.candidates() == null ? 0 : d.trace.candidates().size(), d.createdAt));
                }
                return feed;
            });
        });
    }
}
