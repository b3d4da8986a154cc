package io.leadrouter.presence;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.ApiException;
import io.leadrouter.common.Sql;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.offer.Offer;
import io.leadrouter.offer.OfferState;
import io.leadrouter.replica.ReplicaRegistry;
import io.leadrouter.rep.Rep;
import io.leadrouter.lifecycle.Decision;
import io.leadrouter.routing.RoutedBecause;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.leadrouter.routing.Presence;

/** Presence in the rep table, so matching in any process sees who is connected and available. */
@ApplicationScoped
public class PresenceService {

    /** A rep's state when its socket opens: what the welcome frame carries. */
    public record Snapshot(Rep rep, List<LeadView> activeLeads, List<PendingOffer> pendingOffers) {
    }

    public record PendingOffer(Offer offer, LeadView lead, RoutedBecause why) {
    }

    /** A rep whose presence lapsed to OFFLINE. */
    public record Lapsed(String repId, String team) {
    }

    private final LeadRouterConfig config;
    private final ReplicaRegistry replica;

    public PresenceService(LeadRouterConfig config, ReplicaRegistry replica) {
        this.config = config;
        this.replica = replica;
    }

    /** A socket opened: the rep is connected again (an OFFLINE rep gets the configured initial status). */
    @WithTransaction
    public Uni<Snapshot> connect(String repId) {
        return Sql.list("""
                UPDATE rep SET presence = CASE WHEN presence = 'OFFLINE' THEN :initial ELSE presence END,
                               presence_lapses_at = NULL, updated_at = now()
                WHERE id = :id AND active
                RETURNING *
                """, Rep.class, Map.of("id", repId, "initial", initialStatus().name())).chain(reps -> {
            if (reps.isEmpty()) {
                return Uni.createFrom().failure(new ApiException(403, "REP_INACTIVE",
                        "Rep " + repId + " does not exist or is deactivated"));
            }
            Rep rep = reps.get(0);
            return replica.socketOpened(repId).chain(() -> Lead.<Lead> list("ownerRepId = ?1 and status = ?2 order by assignedAt", repId, LeadStatus.ASSIGNED)
                    .chain(active -> Offer.<Offer> list("repId = ?1 and state = ?2 order by createdAt", repId, OfferState.OPEN)
                            .chain(offers -> pending(offers))
                            .map(pending -> new Snapshot(rep, active.stream().map(LeadView::of).toList(), pending))));
        });
    }

    /** Open offers with their leads and the reasons they were made, as welcome and the redelivery poll send them. */
    public static Uni<List<PendingOffer>> pending(List<Offer> offers) {
        if (offers.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Lead.<Lead> list("id in ?1", offers.stream().map(o -> o.leadId).toList())
                .chain(leads -> Decision.<Decision> list("offerId in ?1", offers.stream().map(o -> o.id).toList()).map(decisions -> {
                    Map<UUID, Lead> byId = new java.util.HashMap<>();
                    leads.forEach(l -> byId.put(l.id, l));
                    Map<UUID, Decision> byOffer = new java.util.HashMap<>();
                    decisions.forEach(d -> byOffer.put(d.offerId, d));
                    return offers.stream().map(o -> new PendingOffer(o, LeadView.of(byId.get(o.leadId)),
                            byOffer.containsKey(o.id) ? RoutedBecause.of(byOffer.get(o.id).trace, o.repId) : null)).toList();
                }));
    }

    /**
     * The rep's last socket on this replica closed: unless it has one on another replica, its
     * presence is kept for the grace period.
     */
    @WithTransaction
    public Uni<Void> disconnect(String repId) {
        return replica.lastSocketClosed(repId).chain(none -> !none ? Uni.createFrom().voidItem() : Sql.update("""
                UPDATE rep SET presence_lapses_at = now() + make_interval(secs => :grace), updated_at = now()
                WHERE id = :id AND presence <> 'OFFLINE'
                """, Map.of("id", repId, "grace", config.presenceGrace().toMillis() / 1000.0)).replaceWithVoid());
    }

    /** The rep chose a status; returns the rep's team. */
    @WithTransaction
    public Uni<String> setStatus(String repId, Presence status) {
        if (status == Presence.OFFLINE) {
            return Uni.createFrom().failure(new ApiException(400, "BAD_FRAME",
                    "status must be AVAILABLE, BUSY or AWAY; OFFLINE follows from disconnecting"));
        }
        return Sql.<String> list("UPDATE rep SET presence = :status, updated_at = now() WHERE id = :id AND active RETURNING team",
                String.class, Map.of("id", repId, "status", status.name()))
                .map(teams -> {
                    if (teams.isEmpty()) {
                        throw new ApiException(403, "REP_INACTIVE", "Rep " + repId + " is deactivated");
                    }
                    return teams.get(0);
                });
    }

    /** Reps whose grace period ran out become OFFLINE. */
    @WithTransaction
    public Uni<List<Lapsed>> lapseDue() {
        return Sql.rows("""
                UPDATE rep SET presence = 'OFFLINE', presence_lapses_at = NULL, updated_at = now()
                WHERE presence_lapses_at <= now()
                RETURNING id, team
                """, Map.of()).map(rows -> rows.stream().map(r -> new Lapsed((String) r[0], (String) r[1])).toList());
    }

    private Presence initialStatus() {
        try {
            Presence initial = Presence.valueOf(config.statusOnConnect());
            return initial == Presence.OFFLINE ? Presence.AVAILABLE : initial;
        } catch (IllegalArgumentException e) {
            return Presence.AVAILABLE;
        }
    }
}
