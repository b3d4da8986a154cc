package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** A rep document to store under its id. */
    public record Put(String id, RepDocument document) {
    }

    /** The reps' presence and whether they were active, read under the lock the upsert then writes under. */
    private static final String LOCK_PREVIOUS = """
            SELECT id, active, presence FROM rep WHERE id IN (:ids) ORDER BY id FOR UPDATE
            """;

    /**
     * Creates or replaces many reps in one statement: the document stored whole, the columns routing reads derived
     * from it; presence, load and history kept. A rep deactivated goes OFFLINE. Rows are written in id order, the order
     * the lock above takes them in, so two concurrent rosters cannot deadlock.
     */
    private static final String UPSERT = """
            INSERT INTO rep AS r (id, name, email, team, teams, tier, skills, languages, territories, max_load, weight, active, document)
            SELECT x.id, x.name, x.email, x.teams[1], x.teams, x.tier, x.skills, x.languages, x.territories, x.max_load, x.weight,
                   x.active, x.document
            FROM jsonb_to_recordset(cast(cast(:rows AS text) AS jsonb)) AS x(id text, name text, email text, teams text[],
                   tier integer, skills jsonb, languages text[], territories text[], max_load integer,
                   weight double precision, active boolean, document jsonb)
            ORDER BY x.id
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, team = excluded.team,
                teams = excluded.teams,
                tier = excluded.tier, skills = excluded.skills, languages = excluded.languages,
                territories = excluded.territories, max_load = excluded.max_load, weight = excluded.weight,
                active = excluded.active, document = excluded.document,
                -- a deactivated rep's tokens never work again, also once it is active again
                token_epoch = CASE WHEN r.active AND NOT excluded.active THEN r.token_epoch + 1 ELSE r.token_epoch END,
                presence = CASE WHEN excluded.active THEN r.presence ELSE 'OFFLINE' END,
                presence_lapses_at = CASE WHEN excluded.active THEN r.presence_lapses_at END,
                updated_at = now()
            RETURNING r.*
            """;

    /** The teams' leads nobody qualified for, locked to go back to the queue; the reps' rows are locked already. */
    private static final String LOCK_UNQUALIFIED = """
            SELECT l.policy_version, %s FROM lead l
            WHERE l.team IN (:teams) AND l.status = 'HELD' AND l.hold_reason = 'NO_QUALIFIED_REP'
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

    /** Creates or replaces the rep's document; presence, load and history are kept. */
    public Uni<Saved> put(String repId, RepDocument document) {
        DomainException conflict = document.teamConflict();
        if (conflict != null) {
            return Uni.createFrom().failure(conflict);
        }
        return events.inTransaction(batch -> upsert(List.of(new Put(repId, document)), batch).chain(stored -> {
            Stored rep = stored.get(0);
            return rep.created() ? Uni.createFrom().item(new Saved(view(rep.rep(), RepView.CapUsage.NONE), true))
                    : roster.assignedTo(repId).map(usage -> new Saved(view(rep.rep(), usage), false));
        }));
    }

    /**
     * Creates or replaces the reps in one transaction, each exactly as {@link #put} would; answers, in the order given,
     * whether each was created. The ids must be distinct.
     */
    public Uni<List<Boolean>> putAll(List<Put> reps) {
        return events.inTransaction(batch -> upsert(reps, batch)).map(stored -> stored.stream().map(Stored::created).toList());
    }

    private record Stored(Rep rep, boolean created) {
    }

    /**
     * The upsert with everything a rep's change brings in its transaction: a {@code rep.updated} event each, a
     * {@code rep.status_changed} for a rep (de)activated, a deactivated rep's open offers withdrawn, and the leads nobody
     * qualified for in each team with an active rep written back to the queue.
     */
    private Uni<List<Stored>> upsert(List<Put> puts, EventBatch batch) {
        List<String> ids = puts.stream().map(Put::id).toList();
        List<Map<String, Object>> rows = puts.stream().map(this::row).toList();
        return Sql.rows(LOCK_PREVIOUS, Map.of("ids", ids)).chain(locked -> {
            Map<String, Object[]> previous = new HashMap<>();
            locked.forEach(row -> previous.put((String) row[0], row));
            return Sql.list(UPSERT, Rep.class, Map.of("rows", json(rows)))
                    // read-only: only shown, and the offers withdrawn below change the load a managed copy would flush back
                    .call(written -> Panache.getSession().invoke(session -> written.forEach(rep -> session.setReadOnly(rep, true))))
                    .chain(written -> {
                        Map<String, Rep> byId = new HashMap<>();
                        written.forEach(rep -> byId.put(rep.id, rep));
                        List<Stored> stored = new ArrayList<>(puts.size());
                        for (String id : ids) {
                            Rep rep = byId.get(id);
                            Object[] before = previous.get(id);
                            stored.add(new Stored(rep, before == null));
                            batch.rep(EventType.REP_UPDATED, id, rep.team, data("created", before == null, "active", rep.active,
                                    "teams", rep.teams().size() > 1 ? rep.teams() : null));
                            if (before != null && (Boolean) before[1] != rep.active) {
                                statusChanged(batch, rep, Presence.valueOf((String) before[2]), rep.active ? "ACTIVATED" : "DEACTIVATED");
                            }
                        }
                        return withdrawOffers(stored.stream().filter(s -> !s.created() && !s.rep().active).toList(), batch)
                                .chain(() -> requeueUnqualified(stored, batch)).replaceWith(stored);
                    });
        });
    }

    /** The rep's row as the upsert writes it, with the defaults of an absent field. */
    private Map<String, Object> row(Put put) {
        RepDocument document = put.document();
        Map<String, Object> row = new HashMap<>();
        row.put("id", put.id());
        row.put("name", document.name());
        row.put("email", document.email());
        row.put("teams", document.teamsOr(config.defaultTeam()));
        row.put("tier", document.tier());
        row.put("skills", document.skills() == null ? Map.of() : document.skills());
        row.put("languages", document.languages() == null ? List.of() : document.languages());
        row.put("territories", document.territories() == null ? List.of() : document.territories());
        row.put("max_load", document.maxLoadOrDefault());
        row.put("weight", document.weight() == null ? 1.0 : document.weight());
        row.put("active", document.activeOrDefault());
        row.put("document", mapper.convertValue(document, MAP));
        return row;
    }

    /** The open offers of reps deactivated, withdrawn (an inactive rep written again has none left). */
    private Uni<Void> withdrawOffers(List<Stored> deactivated, EventBatch batch) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (Stored rep : deactivated) {
            done = done.chain(() -> offers.cancelOpenOffersOf(rep.rep().id, batch)).replaceWithVoid();
        }
        return done;
    }

    /**
     * A new or changed active rep may qualify for leads nobody qualified for: back to the queue with them, in every team
     * with such a rep (one statement for all), each requeue naming the team's first rep here.
     */
    private Uni<Void> requeueUnqualified(List<Stored> stored, EventBatch batch) {
        Map<String, String> firstOfTeam = new LinkedHashMap<>();
        stored.stream().map(Stored::rep).filter(rep -> rep.active)
                .forEach(rep -> rep.teams().forEach(team -> firstOfTeam.putIfAbsent(team, rep.id)));
        if (firstOfTeam.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Sql.rows(LOCK_UNQUALIFIED, Map.of("teams", List.copyOf(firstOfTeam.keySet()))).chain(rows -> {
            List<LeadUpdate.Change> changes = rows.stream().map(row -> {
                Resolution.Lead lead = LeadUpdate.leadOf(row, 1);
                return new LeadUpdate.Change((UUID) row[1], LeadStatus.HELD, lead.attempt(), LeadStatus.QUEUED, null, null, null,
                        Resolution.of(Resolution.Cause.REQUALIFIED, lead, Resolution.Rules.NONE));
            }).toList();
            return LeadUpdate.apply(changes, mapper).invoke(moved -> rows.stream().filter(row -> moved.contains((UUID) row[1]))
                    .forEach(row -> batch.lead(EventType.LEAD_REQUEUED, (UUID) row[1], (String) row[2], null,
                            ((Number) row[0]).intValue(), data("cause", "REP_CHANGED", "holdReason",
                                    OfferService.HOLD_NO_QUALIFIED_REP, "byRepId", firstOfTeam.get((String) row[2])), null)));
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
                : Sql.list("SELECT * FROM rep WHERE teams @> ARRAY[cast(:team AS text)] ORDER BY id", Rep.class, Map.of("team", team));
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
            // the entity's flush writes every column: flushed after the release, it would write the load read before it back
            return Panache.flush().chain(() -> offers.cancelOpenOffersOf(repId, batch))
                    .call(() -> wasActive ? retireTokens(repId) : Uni.createFrom().voidItem()).replaceWith(rep.team);
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

    private static void statusChanged(EventBatch batch, Rep rep, Presence previous, String reason) {
        batch.rep(EventType.REP_STATUS_CHANGED, rep.id, rep.team, data("status", rep.presence, "previous", previous,
                "active", rep.active, "reason", reason));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialize reps", e);
        }
    }

    private RepView view(Rep rep, RepView.CapUsage usage) {
        return RepView.of(rep, mapper.convertValue(rep.document, RepDocument.class), usage);
    }
}
