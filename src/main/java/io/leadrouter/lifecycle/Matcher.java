package io.leadrouter.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.agent.AgentSessions;
import io.leadrouter.agent.ServerFrame;
import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.common.Sql;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.metrics.LeadRouterMetrics;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.routing.Presence;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.TeamLoad;

/**
 * The reactive matcher: drains a team's queue into offers whenever something changed (a lead
 * arrived or came back, a rep became available or freed capacity, the team went back to PUSH),
 * delivers offers and withdrawals to the sockets, and expires offers by timer and by sweep.
 */
@ApplicationScoped
public class Matcher {

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
    private final AgentSessions sessions;
    private final LeadRouterMetrics metrics;
    private final Vertx vertx;
    /** Drain requests per team: a drain in progress absorbs the requests made while it runs, then runs once more. */
    private final Map<String, AtomicInteger> pendingDrains = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public Matcher(OfferService offers, ModeService modes, PolicyService policies, AgentSessions sessions,
            LeadRouterMetrics metrics, Vertx vertx) {
        this.offers = offers;
        this.policies = policies;
        this.modes = modes;
        this.sessions = sessions;
        this.metrics = metrics;
        this.vertx = vertx;
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
        return offers.offerLead(ids.get(index)).chain(outcome -> {
            if (outcome.offered()) {
                metrics.offerCreated(Duration.between(outcome.lead().createdAt(), outcome.offer().createdAt));
                deliver(outcome);
            }
            return outcome.teamFull() ? Uni.createFrom().item(true) : offerEach(ids, index + 1);
        });
    }

    private void deliver(OfferOutcome outcome) {
        sessions.send(outcome.offer().repId,
                new ServerFrame.OfferMade(outcome.offer().id, outcome.lead(), outcome.offer().expiresAt, outcome.why()));
        UUID offerId = outcome.offer().id;
        long delay = Math.max(1, Duration.between(Instant.now(), outcome.offer().expiresAt).plus(TIMER_SLACK).toMillis());
        vertx.setTimer(delay, timer -> SafeContexts.run(vertx, () -> offers.expireDue(offerId, 1))
                .subscribe().with(expired -> afterResolution(expired, "EXPIRED"), failure -> LOG.warnf(failure, "Expiring offer %s failed", offerId)));
    }

    /**
     * Counts offers that were declined, expired or cancelled, tells their reps, and re-offers their leads.
     *
     * @param withdrawnReason the offer-withdrawn reason the rep's tabs get (EXPIRED, TAKEN, CANCELLED)
     */
    public void afterResolution(List<OfferResolution> resolutions, String withdrawnReason) {
        for (OfferResolution resolution : resolutions) {
            metrics.offerResolved(resolution.state());
            sessions.send(resolution.repId(), new ServerFrame.OfferWithdrawn(resolution.offerId(), withdrawnReason));
            if (resolution.repWentAway()) {
                sessions.send(resolution.repId(), new ServerFrame.StatusChanged(Presence.AWAY, "MISSED_OFFER"));
            }
            if (resolution.leadStatus() == LeadStatus.QUEUED) {
                requestDrain(resolution.team());
            }
        }
    }

    /** Once a second: the newest policy, the safety net behind the per-offer timers, and the mode evaluation. */
    @Scheduled(every = "${leadrouter.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return Jobs.logged(SafeContexts.run(vertx, policies::reload)
                .chain(() -> SafeContexts.run(vertx, this::expireAllDue))
                .chain(() -> SafeContexts.run(vertx, modes::evaluate))
                .invoke(this::announceModes), LOG, "Sweep");
    }

    private Uni<Void> expireAllDue() {
        return offers.expireDue(null, SWEEP_BATCH).chain(expired -> {
            afterResolution(expired, "EXPIRED");
            return expired.size() == SWEEP_BATCH ? expireAllDue() : Uni.createFrom().voidItem();
        });
    }

    private void announceModes(List<TeamLoad> loads) {
        for (TeamLoad load : loads) {
            if (load.changed()) {
                LOG.infof("Team %s switched to %s (%d waiting, %d free capacity)", load.team(), load.mode(), load.waiting(),
                        load.freeCapacity());
            }
            // in PULL reps choose when to take the next lead, so they are told the depth as it moves
            if (load.changed() || load.mode() == Mode.PULL && load.waitingChanged()) {
                sessions.sendToTeam(load.team(), new ServerFrame.ModeChanged(load.mode(), load.waiting()));
            }
            if (load.mode() == Mode.PUSH && load.waiting() > 0 && load.freeCapacity() > 0) {
                requestDrain(load.team());
            }
        }
    }
}
