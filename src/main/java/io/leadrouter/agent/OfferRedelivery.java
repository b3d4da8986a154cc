package io.leadrouter.agent;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.common.Sql;
import io.leadrouter.offer.Offer;
import io.leadrouter.presence.PresenceService;
import io.leadrouter.replica.ReplicaRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The safety net under cross-replica delivery: every sweep, the open offers of reps with a socket
 * on this replica that did not reach them here (a missed notification, a frame too large to
 * notify) are sent now. Clients de-duplicate by offerId.
 */
@ApplicationScoped
public class OfferRedelivery {

    private static final Logger LOG = Logger.getLogger(OfferRedelivery.class);

    private static final String OPEN_OFFERS_OF_REPS_HERE = """
            -- a second old: a notification still in flight would otherwise deliver it twice
            SELECT o.* FROM offer o JOIN rep_socket s ON s.rep_id = o.rep_id AND s.replica_id = :replica
            WHERE o.state = 'OPEN' AND o.expires_at > now() AND o.created_at < now() - interval '1 second'
            """;

    private final AgentSessions sessions;
    private final ReplicaRegistry replica;
    private final Vertx vertx;

    public OfferRedelivery(AgentSessions sessions, ReplicaRegistry replica, Vertx vertx) {
        this.sessions = sessions;
        this.replica = replica;
        this.vertx = vertx;
    }

    @Scheduled(every = "${leadrouter.sweep-interval}", delayed = "${leadrouter.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> redeliver() {
        if (sessions.connectedReps().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Jobs.logged(SafeContexts.run(vertx, () -> Panache.withSession(() -> Sql.list(OPEN_OFFERS_OF_REPS_HERE, Offer.class,
                Map.of("replica", replica.id())).chain(this::sendMissing))), LOG, "Offer redelivery");
    }

    private Uni<Void> sendMissing(List<Offer> open) {
        Map<String, Set<UUID>> openByRep = new java.util.HashMap<>();
        open.forEach(o -> openByRep.computeIfAbsent(o.repId, r -> new HashSet<>()).add(o.id));
        sessions.connectedReps().forEach(rep -> sessions.retainDelivered(rep, openByRep.getOrDefault(rep, Set.of())));
        List<Offer> missing = open.stream().filter(o -> !sessions.wasDelivered(o.repId, o.id)).toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return PresenceService.pending(missing).invoke(pending -> pending.forEach(p -> sessions.sendHere(p.offer().repId,
                new ServerFrame.OfferMade(p.offer().id, p.lead(), p.offer().expiresAt, p.why())))).replaceWithVoid();
    }
}
