package io.leadrouter.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.common.CostBound;
import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.common.Sql;
import io.leadrouter.event.EventSubscriber;
import io.leadrouter.event.LifecycleEvent;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.TeamLoad;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The reactive matcher: drains a team's queue into offers whenever the event log says something changed (a lead
 * arrived or came back, a rep became available or freed capacity) or the team went back to PUSH, and expires offers by
 * timer and by sweep. Frames, metrics and the console hear of the offers it makes from the same events.
 */
@ApplicationScoped
public class Matcher implements EventSubscriber {

    private static final Logger LOG = Logger.getLogger(Matcher.class);
    /** Queued leads read per page while draining. */
    static final int DRAIN_BATCH = 100;
    /** Offers expired per sweep statement. */
    static final int SWEEP_BATCH = 500;
    /** Slack after a deadline before the timer fires, so the database clock agrees it has passed. */
    static final Duration TIMER_SLACK = Duration.ofMillis(25);

    /** Queued leads of a team, best first, after a cursor lead (keyset paging, so deeper leads are reached too). */
    private static final String QUEUED_PAGE = """
            SELECT id FROM lead WHERE status = 'QUEUED' AND team = :team %s
            ORDER BY priority DESC, created_at, id LIMIT :limit
            """;
    private static final String AFTER_CURSOR = """
            AND (priority < (SELECT priority FROM lead WHERE id = :after)
                 OR priority = (SELECT priority FROM lead WHERE id = :after)
                    AND (created_at, id) > (SELECT created_at, id FROM lead WHERE id = :after))
            """;

    private final OfferService offers;
    private final ModeService modes;
    private final PolicyService policies;
    private final TeamBroadcast broadcast;
    private final Vertx vertx;
    private final CostBound evaluation = new CostBound();
    /** Drain requests per team: a drain in progress absorbs the requests made while it runs, then runs once more. */
    private final Map<String, AtomicInteger> pendingDrains = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public Matcher(OfferService offers, ModeService modes, PolicyService policies, TeamBroadcast broadcast, Vertx vertx) {
        this.offers = offers;
        this.policies = policies;
        this.modes = modes;
        this.broadcast = broadcast;
        this.vertx = vertx;
    }

    /**
     * Drains the teams where capacity may meet a lead now: a lead arrived, is back in the queue or was rerouted by a
     * change of its CRM record, a rep's capacity was freed (decline, lapse, close), a rep became available or was
     * changed. An offer made starts its timer.
     */
    @Override
    public void committed(List<LifecycleEvent> events) {
        Set<String> teams = new LinkedHashSet<>();
        for (LifecycleEvent event : events) {
            switch (event.type()) {
                case LEAD_CREATED, LEAD_REQUEUED, LEAD_DECLINED, LEAD_OFFER_EXPIRED, LEAD_CLOSED, REP_RESUMED -> teams.add(event.team());
                case LEAD_UPDATED -> {
                    // a queued lead whose team or routing fields changed may now go to someone, or first
                    if (Boolean.TRUE.equals(event.data().get("rerouted"))) {
                        teams.add(event.team());
                    }
                }
                case REP_STATUS_CHANGED -> {
                    if (Presence.AVAILABLE.name().equals(event.text("status")) && event.team() != null) {
                        teams.addAll(teamsOf(event));
                    }
                }
                case REP_UPDATED -> {
                    if (Boolean.TRUE.equals(event.data().get("active"))) {
                        teams.addAll(teamsOf(event));
                    }
                }
                case LEAD_ASSIGNED -> {
                    // a manager's assignment may have freed the previous owner's or the offered rep's capacity
                    if ("manual".equals(event.text("via"))) {
                        teams.add(event.team());
                    }
                }
                case LEAD_OFFERED -> startTimer(event);
                default -> {
                }
            }
        }
        teams.forEach(this::requestDrain);
    }

    /** The teams of a rep's event: every team of a rep in several (its {@code teams}), else the event's. */
    private static List<String> teamsOf(LifecycleEvent event) {
        return event.data().get("teams") instanceof List<?> several ? several.stream().map(String::valueOf).toList()
                : List.of(event.team());
    }

    /** Shutting down: other replicas make the offers from now on. */
    public void stop() {
        stopped = true;
    }

    /** Something changed for the team: offer what can be offered, best leads first. */
    public void requestDrain(String team) {
        if (stopped) {
            return;
        }
        AtomicInteger pending = pendingDrains.computeIfAbsent(team, t -> new AtomicInteger());
        if (pending.getAndIncrement() == 0) {
            drainLoop(team, pending);
        }
    }

    private void drainLoop(String team, AtomicInteger pending) {
        int seen = pending.get();
        SafeContexts.run(vertx, () -> drain(team)).subscribe().with(
                ok -> continueDrain(team, pending, seen),
                failure -> {
                    LOG.warnf(failure, "Draining team %s failed", team);
                    continueDrain(team, pending, seen);
                });
    }

    private void continueDrain(String team, AtomicInteger pending, int seen) {
        if (pending.addAndGet(-seen) != 0) {
            drainLoop(team, pending);
        }
    }

    private Uni<Void> drain(String team) {
        return drainAfter(team, null);
    }

    /** Offers page after page until the team has no free capacity or the queue is exhausted. */
    private Uni<Void> drainAfter(String team, UUID cursor) {
        if (modes.modeOf(team) == Mode.PULL) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> cursor == null
                ? Sql.list(QUEUED_PAGE.formatted(""), UUID.class, Map.of("team", team, "limit", DRAIN_BATCH))
                : Sql.list(QUEUED_PAGE.formatted(AFTER_CURSOR), UUID.class,
                        Map.of("team", team, "limit", DRAIN_BATCH, "after", cursor))).chain(ids -> offerEach(ids, 0).chain(teamFull -> !teamFull && ids.size() == DRAIN_BATCH
                ? drainAfter(team, ids.get(ids.size() - 1))
                : Uni.createFrom().voidItem()));
    }

    /** Offers the leads in order; true when it stopped because the team has no free capacity left. */
    private Uni<Boolean> offerEach(List<UUID> ids, int index) {
        if (index == ids.size()) {
            return Uni.createFrom().item(false);
        }
        return offers.offerLead(ids.get(index))
                .chain(outcome -> outcome.teamFull() ? Uni.createFrom().item(true) : offerEach(ids, index + 1));
    }

    /** Expires the offer just after its deadline; the sweep is the safety net when this replica dies first. */
    private void startTimer(LifecycleEvent offered) {
        UUID offerId = UUID.fromString(offered.text("offerId"));
        Instant expiresAt = Instant.parse(offered.text("expiresAt"));
        long delay = Math.max(1, Duration.between(Instant.now(), expiresAt).plus(TIMER_SLACK).toMillis());
        vertx.setTimer(delay, timer -> SafeContexts.run(vertx, () -> offers.expireDue(offerId, 1))
                .subscribe().with(expired -> {
                }, failure -> LOG.warnf(failure, "Expiring offer %s failed", offerId)));
    }

    /**
     * Once a second: the newest policy, the safety net behind the per-offer timers, and the mode evaluation, which
     * counts the queue and so is spaced by its cost when the queue is deep.
     */
    @Scheduled(every = "${leadrouter.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return Jobs.logged(SafeContexts.run(vertx, policies::reload)
                .chain(() -> SafeContexts.run(vertx, this::expireAllDue))
                .chain(() -> evaluation.runIfDue(() -> SafeContexts.run(vertx, modes::evaluate)))
                .invoke(loads -> {
                    if (loads != null) {
                        announceModes(loads);
                    }
                }), LOG, "Sweep");
    }

    private Uni<Void> expireAllDue() {
        return offers.expireDue(null, SWEEP_BATCH)
                .chain(expired -> expired == SWEEP_BATCH ? expireAllDue() : Uni.createFrom().voidItem());
    }

    private void announceModes(List<TeamLoad> loads) {
        for (TeamLoad load : loads) {
            if (load.changed()) {
                LOG.infof("Team %s switched to %s (%d waiting, %d free capacity)", load.team(), load.mode(), load.waiting(),
                        load.freeCapacity());
            }
            // in PULL reps choose when to take the next lead, so they are told the depth as it moves
            if (load.changed() || load.mode() == Mode.PULL && load.waitingChanged()) {
                broadcast.modeChanged(load.team(), load.mode(), load.waiting());
            }
            if (load.mode() == Mode.PUSH && load.waiting() > 0 && load.freeCapacity() > 0) {
                requestDrain(load.team());
            }
        }
    }
}
