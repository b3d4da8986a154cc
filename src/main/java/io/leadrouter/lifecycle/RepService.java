package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RepDocument;
import io.leadrouter.rep.RepView;
import io.leadrouter.rep.RoutingRoster;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.Resolution;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The roster: rep documents as written, with the live state routing keeps beside them. A deactivation withdraws the
 * rep's open offers in the same transaction; a new or changed active rep brings back the team's leads nobody qualified
 * for.
 */
@ApplicationScoped
public class RepService {

    /** Whether a PUT created the rep (201) or replaced it (200). */
    public record Saved(RepView rep, boolean created) {
    }

    /** The team's leads nobody qualified for, locked to go back to the queue; the rep's row is locked already. */
    private static final String LOCK_UNQUALIFIED = """
            SELECT l.policy_version, %s FROM lead l
            WHERE l.team = :team AND l.status = 'HELD' AND l.hold_reason = 'NO_QUALIFIED_REP'
            FOR UPDATE OF l
            """.formatted(LeadUpdate.STATE_COLUMNS);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    private final LeadRouterConfig config;
    private final EventLog events;
    private final OfferService offers;
    private final RoutingRoster roster;

    public RepService(ObjectMapper mapper, LeadRouterConfig config, EventLog events, OfferService offers, RoutingRoster roster) {
        this.mapper = mapper;
        this.config = config;
        this.events = events;
        this.offers = offers;
        this.roster = roster;
    }

    /**
     * Creates or replaces the rep's document; presence, load and history are kept. The row is
     * locked first because the flush writes every column, and offers change active_load meanwhile.
     */
    public Uni<Saved> put(String repId, RepDocument document) {
        return events.inTransaction(batch -> Rep.<Rep> findById(repId, LockModeType.PESSIMISTIC_WRITE).chain(existing -> {
            Instant now = Timestamps.now();
            Rep rep = existing != null ? existing : new Rep();
            boolean wasActive = existing != null && existing.active;
            Presence wasPresence = existing == null ? Presence.OFFLINE : existing.presence;
            if (existing == null) {
                rep.id = repId;
                rep.presence = Presence.OFFLINE;
                rep.createdAt = now;
            }
            rep.name = document.name();
            rep.email = document.email();
            rep.team = document.team() == null ? config.defaultTeam() : document.team();
            rep.tier = document.tier();
            rep.skills = document.skills() == null ? Map.of() : document.skills();
            rep.languages = document.languages() == null ? new String[0] : document.languages().toArray(String[]::new);
            rep.territories = document.territories() == null ? new String[0] : document.territories().toArray(String[]::new);
            rep.maxLoad = document.maxLoadOrDefault();
            rep.weight = document.weight() == null ? 1.0 : document.weight();
            rep.active = document.activeOrDefault();
            if (!rep.active) {
                rep.presence = Presence.OFFLINE;
                rep.presenceLapsesAt = null;
            }
            rep.document = mapper.convertValue(document, MAP);
            rep.updatedAt = now;
            batch.rep(EventType.REP_UPDATED, repId, rep.team, data("created", existing == null, "active", rep.active));
            if (wasActive != rep.active && existing != null) {
                statusChanged(batch, rep, wasPresence, rep.active ? "ACTIVATED" : "DEACTIVATED");
            }
            Uni<Saved> saved = existing == null
                    ? rep.<Rep> persist().map(r -> new Saved(view(r, RepView.CapUsage.NONE), true))
                    : roster.assignedTo(repId).map(u -> new Saved(view(rep, u), false));
            if (!rep.active) {
                return existing == null ? saved : saved.call(() -> withdrawOffers(repId, batch))
                        .call(() -> wasActive ? retireTokens(repId) : Uni.createFrom().voidItem());
            }
            // a new or changed rep may qualify for leads nobody qualified for: back to the queue with them
            return saved.call(() -> requeueUnqualified(rep, batch));
        }));
    }

    private Uni<Void> requeueUnqualified(Rep rep, EventBatch batch) {
        return Sql.rows(LOCK_UNQUALIFIED, Map.of("team", rep.team)).chain(rows -> {
            List<LeadUpdate.Change> changes = rows.stream().map(row -> {
                Resolution.Lead lead = LeadUpdate.leadOf(row, 1);
                return new LeadUpdate.Change((UUID) row[1], LeadStatus.HELD, lead.attempt(), LeadStatus.QUEUED, null, null, null,
                        Resolution.of(Resolution.Cause.REQUALIFIED, lead, Resolution.Rules.NONE));
            }).toList();
            return LeadUpdate.apply(changes, mapper).invoke(moved -> rows.stream().filter(row -> moved.contains((UUID) row[1]))
                    .forEach(row -> batch.lead(EventType.LEAD_REQUEUED, (UUID) row[1], rep.team, null, ((Number) row[0]).intValue(),
                            data("cause", "REP_CHANGED", "holdReason", OfferService.HOLD_NO_QUALIFIED_REP, "byRepId", rep.id),
                            null)));
        }).replaceWithVoid();
    }

    @WithSession
    public Uni<RepView> get(String repId) {
        return Rep.<Rep> findById(repId).chain(rep -> {
            if (rep == null) {
                return Uni.createFrom().failure(DomainException.notFound("Rep", repId));
            }
            return roster.assignedTo(repId).map(u -> view(rep, u));
        });
    }

    @WithSession
    public Uni<List<RepView>> list(String team) {
        Uni<List<Rep>> reps = team == null ? Rep.listAll(io.quarkus.panache.common.Sort.by("id"))
                : Rep.list("team", io.quarkus.panache.common.Sort.by("id"), team);
        return reps.chain(all -> roster.assigned(team).map(usage -> all.stream()
                .map(r -> view(r, usage.getOrDefault(r.id, RepView.CapUsage.NONE))).toList()));
    }

    /** Deactivates the rep (history is kept) and withdraws its open offers; returns its team. */
    public Uni<String> deactivate(String repId) {
        return events.inTransaction(batch -> Rep.<Rep> findById(repId, LockModeType.PESSIMISTIC_WRITE).chain(rep -> {
            if (rep == null) {
                return Uni.createFrom().failure(DomainException.notFound("Rep", repId));
            }
            boolean wasActive = rep.active;
            Presence wasPresence = rep.presence;
            rep.active = false;
            rep.presence = Presence.OFFLINE;
            rep.presenceLapsesAt = null;
            rep.document = new HashMap<>(rep.document);
            rep.document.put("active", false);
            rep.updatedAt = Timestamps.now();
            if (wasActive) {
                statusChanged(batch, rep, wasPresence, "DEACTIVATED");
            }
            return withdrawOffers(repId, batch).call(() -> wasActive ? retireTokens(repId) : Uni.createFrom().voidItem())
                    .replaceWith(rep.team);
        }));
    }

    /** The token epoch a new token of the rep is issued in; only an active rep gets one. */
    @WithSession
    public Uni<Long> tokenEpoch(String repId) {
        return Sql.rows("SELECT active, token_epoch FROM rep WHERE id = :id", Map.of("id", repId)).map(rows -> {
            if (rows.isEmpty()) {
                throw DomainException.notFound("Rep", repId);
            }
            if (!(Boolean) rows.get(0)[0]) {
                throw DomainException.conflict("REP_INACTIVE", "Rep " + repId + " is deactivated");
            }
            return ((Number) rows.get(0)[1]).longValue();
        });
    }

    /** Every token issued to the rep so far stops working; its sockets are closed (rep.tokens_revoked). */
    public Uni<Void> revokeTokens(String repId) {
        return events.inTransaction(batch -> Sql.rows("""
                UPDATE rep SET token_epoch = token_epoch + 1, updated_at = now() WHERE id = :id RETURNING team, token_epoch
                """, Map.of("id", repId)).invoke(rows -> {
            if (rows.isEmpty()) {
                throw DomainException.notFound("Rep", repId);
            }
            batch.rep(EventType.REP_TOKENS_REVOKED, repId, (String) rows.get(0)[0], data("epoch", rows.get(0)[1]));
        }).replaceWithVoid());
    }

    /**
     * A deactivated rep's tokens never work again, also once it is active again (its token epoch moves on). The entity
     * maps the column read-only, so a flush of the rep never writes it back.
     */
    private static Uni<Void> retireTokens(String repId) {
        return Sql.update("UPDATE rep SET token_epoch = token_epoch + 1 WHERE id = :id", Map.of("id", repId)).replaceWithVoid();
    }

    /**
     * The rep's open offers cancelled and their load given back. The rep entity is flushed first: its flush writes
     * every column, and a flush after the release would write the load read before it back.
     */
    private Uni<Void> withdrawOffers(String repId, EventBatch batch) {
        return Panache.flush().chain(() -> offers.cancelOpenOffersOf(repId, batch)).replaceWithVoid();
    }

    private static void statusChanged(EventBatch batch, Rep rep, Presence previous, String reason) {
        batch.rep(EventType.REP_STATUS_CHANGED, rep.id, rep.team, data("status", rep.presence, "previous", previous,
                "active", rep.active, "reason", reason));
    }

    private RepView view(Rep rep, RepView.CapUsage usage) {
        return RepView.of(rep, mapper.convertValue(rep.document, RepDocument.class), usage);
    }
}
