package io.leadrouter.presence;

import static io.leadrouter.event.EventBatch.data;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.Sql;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.lifecycle.Decision;
import io.leadrouter.offer.Offer;
import io.leadrouter.offer.OfferState;
import io.leadrouter.rep.Rep;
import io.leadrouter.replica.ReplicaRegistry;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.RoutedBecause;
import io.smallrye.mutiny.Uni;

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

    /** The rep's status after a {@code status} frame, and whether it changed. */
    public record StatusSet(String team, boolean changed) {
    }

    /*
     * Presence changes are read with the row as it was before (the self-join sees the statement's snapshot), so each
     * change's event names where the rep came from.
     */
    private static final String CONNECT = """
            UPDATE rep SET presence = CASE WHEN rep.presence = 'OFFLINE' THEN :initial ELSE rep.presence END,
                           presence_lapses_at = NULL, updated_at = now()
            FROM rep before
            WHERE rep.id = :id AND rep.active AND before.id = rep.id
            RETURNING rep.presence, before.presence, before.presence_lapses_at IS NOT NULL, rep.team,
                      array_to_string(rep.teams, ',')
            """;

    /* A status frame that changes nothing writes nothing: the row is updated only when its presence differs. */
    private static final String SET_STATUS = """
            WITH changed AS (
                UPDATE rep SET presence = :status, updated_at = now()
                FROM rep before
                WHERE rep.id = :id AND rep.active AND rep.presence <> :status AND before.id = rep.id
                RETURNING rep.team, before.presence, array_to_string(rep.teams, ',') AS teams)
            SELECT team, presence, teams FROM changed
            UNION ALL
            SELECT team, presence, array_to_string(teams, ',') FROM rep WHERE id = :id AND active AND NOT EXISTS (SELECT 1 FROM changed)
            """;

    private static final String LAPSE = """
            UPDATE rep SET presence = 'OFFLINE', presence_lapses_at = NULL, updated_at = now()
            FROM rep before
            WHERE rep.presence_lapses_at <= now() AND before.id = rep.id
            RETURNING rep.id, rep.team, before.presence
            """;

    private final LeadRouterConfig config;
    private final ReplicaRegistry replica;
    private final EventLog events;

    public PresenceService(LeadRouterConfig config, ReplicaRegistry replica, EventLog events) {
        this.config = config;
        this.replica = replica;
        this.events = events;
    }

    /** A socket opened: the rep is connected again (an OFFLINE rep gets the configured initial status). */
    public Uni<Snapshot> connect(String repId) {
        return events.inTransaction(batch -> Sql.rows(CONNECT, Map.of("id", repId, "initial", initialStatus().name())).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().<Rep> failure(DomainException.forbidden("REP_INACTIVE",
                        "Rep " + repId + " does not exist or is deactivated"));
            }
            Object[] row = rows.get(0);
            if (Presence.OFFLINE.name().equals(row[1]) || (Boolean) row[2]) {
                batch.rep(EventType.REP_STATUS_CHANGED, repId, (String) row[3], data("status", row[0], "previous", row[1],
                        "connected", true, "reason", "CONNECTED", "teams", severalTeams((String) row[4])));
            }
            return Rep.<Rep> findById(repId);
        }).chain(rep -> replica.socketOpened(repId)
                .chain(() -> Lead.<Lead> list("ownerRepId = ?1 and status = ?2 order by assignedAt", repId, LeadStatus.ASSIGNED))
                .chain(active -> Offer.<Offer> list("repId = ?1 and state = ?2 order by createdAt", repId, OfferState.OPEN)
                        .chain(PresenceService::pending)
                        .map(pending -> new Snapshot(rep, active.stream().map(LeadView::of).toList(), pending)))));
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
    public Uni<Void> disconnect(String repId) {
        return events.inTransaction(batch -> replica.lastSocketClosed(repId).chain(none -> !none ? Uni.createFrom().voidItem()
                : Sql.rows("""
                        UPDATE rep SET presence_lapses_at = now() + make_interval(secs => :grace), updated_at = now()
                        WHERE id = :id AND presence <> 'OFFLINE'
                        RETURNING team, presence
                        """, Map.of("id", repId, "grace", config.presenceGrace().toMillis() / 1000.0))
                        .invoke(rows -> rows.forEach(row -> batch.rep(EventType.REP_STATUS_CHANGED, repId, (String) row[0],
                                data("status", row[1], "previous", row[1], "connected", false, "reason", "DISCONNECTED",
                                        "graceSeconds", config.presenceGrace().toSeconds()))))
                        .replaceWithVoid()));
    }

    /** The rep chose a status. */
    public Uni<StatusSet> setStatus(String repId, Presence status) {
        if (status == Presence.OFFLINE) {
            return Uni.createFrom().failure(DomainException.invalid("BAD_FRAME",
                    "status must be AVAILABLE, BUSY or AWAY; OFFLINE follows from disconnecting"));
        }
        return events.inTransaction(batch -> Sql.rows(SET_STATUS, Map.of("id", repId, "status", status.name())).map(rows -> {
            if (rows.isEmpty()) {
                throw DomainException.forbidden("REP_INACTIVE", "Rep " + repId + " is deactivated");
            }
            String team = (String) rows.get(0)[0];
            boolean changed = !status.name().equals(rows.get(0)[1]);
            if (changed) {
                batch.rep(EventType.REP_STATUS_CHANGED, repId, team, data("status", status, "previous", rows.get(0)[1],
                        "reason", "CHOSEN", "teams", severalTeams((String) rows.get(0)[2])));
            }
            return new StatusSet(team, changed);
        }));
    }

    /** Reps whose grace period ran out become OFFLINE. */
    public Uni<List<Lapsed>> lapseDue() {
        return events.inTransaction(batch -> Sql.rows(LAPSE, Map.of()).map(rows -> rows.stream().map(r -> {
            batch.rep(EventType.REP_STATUS_CHANGED, (String) r[0], (String) r[1], data("status", Presence.OFFLINE,
                    "previous", r[2], "connected", false, "reason", "LAPSED"));
            return new Lapsed((String) r[0], (String) r[1]);
        }).toList()));
    }

    /** A rep's teams as its events carry them: only for a rep in several, so the matcher drains each. */
    static List<String> severalTeams(String teams) {
        List<String> all = List.of(teams.split(","));
        return all.size() > 1 ? all : null;
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
