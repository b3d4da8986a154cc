package io.leadrouter.lifecycle;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.ApiException;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.routing.Presence;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RepDocument;
import io.leadrouter.rep.RepView;

/** The roster: rep documents as written, with the live state routing keeps beside them. */
@ApplicationScoped
public class RepService {

    /** Whether a PUT created the rep (201) or replaced it (200). */
    public record Saved(RepView rep, boolean created) {
    }

    /** Leads assigned since the start of the rep's current day, week and month, in its timezone. */
    private static final String CAP_USAGE = """
            SELECT r.id,
                   count(l.id) FILTER (WHERE l.assigned_at >= date_trunc('day', now() AT TIME ZONE z.tz) AT TIME ZONE z.tz),
                   count(l.id) FILTER (WHERE l.assigned_at >= date_trunc('week', now() AT TIME ZONE z.tz) AT TIME ZONE z.tz),
                   count(l.id) FILTER (WHERE l.assigned_at >= date_trunc('month', now() AT TIME ZONE z.tz) AT TIME ZONE z.tz)
            FROM rep r
            CROSS JOIN LATERAL (SELECT coalesce(r.document ->> 'timezone', 'UTC') AS tz) z
            LEFT JOIN lead l ON l.owner_rep_id = r.id AND l.assigned_at >= now() - interval '32 days'
            WHERE %s
            GROUP BY r.id
            """;

    private static final String REQUEUE_HELD = """
            UPDATE lead SET status = 'QUEUED', hold_reason = NULL, held_at = NULL, updated_at = now()
            WHERE team = :team AND status = 'HELD' AND hold_reason = 'NO_QUALIFIED_REP'
            """;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    private final LeadRouterConfig config;

    public RepService(ObjectMapper mapper, LeadRouterConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    /**
     * Creates or replaces the rep's document; presence, load and history are kept. The row is
     * locked first because the flush writes every column, and offers change active_load meanwhile.
     * Leads of the team held because nobody qualified are queued again for this rep to be considered.
     */
    @WithTransaction
    public Uni<Saved> put(String repId, RepDocument document) {
        return Rep.<Rep> findById(repId, LockModeType.PESSIMISTIC_WRITE).chain(existing -> {
            Instant now = Timestamps.now();
            Rep rep = existing != null ? existing : new Rep();
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
            Uni<Saved> saved = existing == null
                    ? rep.<Rep> persist().map(r -> new Saved(view(r, RepView.CapUsage.NONE), true))
                    : usage(rep).map(u -> new Saved(view(rep, u), false));
            // a new or changed rep may qualify for leads nobody qualified for: back to the queue with them
            return rep.active ? saved.call(() -> Sql.update(REQUEUE_HELD, Map.of("team", rep.team))) : saved;
        });
    }

    @WithSession
    public Uni<RepView> get(String repId) {
        return Rep.<Rep> findById(repId).chain(rep -> {
            if (rep == null) {
                return Uni.createFrom().failure(ApiException.notFound("Rep", repId));
            }
            return usage(rep).map(u -> view(rep, u));
        });
    }

    @WithSession
    public Uni<List<RepView>> list(String team) {
        Uni<List<Rep>> reps = team == null ? Rep.listAll(io.quarkus.panache.common.Sort.by("id"))
                : Rep.list("team", io.quarkus.panache.common.Sort.by("id"), team);
        return reps.chain(all -> Sql.rows(CAP_USAGE.formatted(team == null ? "true" : "r.team = :team"),
                team == null ? Map.of() : Map.of("team", team)).map(rows -> {
                    Map<String, RepView.CapUsage> usage = new HashMap<>();
                    rows.forEach(row -> usage.put((String) row[0], usageOf(row)));
                    return all.stream().map(r -> view(r, usage.getOrDefault(r.id, RepView.CapUsage.NONE))).toList();
                }));
    }

    /** Deactivates the rep (history is kept); returns its team. */
    @WithTransaction
    public Uni<String> deactivate(String repId) {
        return Rep.<Rep> findById(repId, LockModeType.PESSIMISTIC_WRITE).map(rep -> {
            if (rep == null) {
                throw ApiException.notFound("Rep", repId);
            }
            rep.active = false;
            rep.presence = Presence.OFFLINE;
            rep.presenceLapsesAt = null;
            rep.document = new HashMap<>(rep.document);
            rep.document.put("active", false);
            rep.updatedAt = Timestamps.now();
            return rep.team;
        });
    }

    /** Whether the rep exists and is active, the condition for issuing it a token. */
    @WithSession
    public Uni<Boolean> isActive(String repId) {
        return Rep.<Rep> findById(repId).map(rep -> {
            if (rep == null) {
                throw ApiException.notFound("Rep", repId);
            }
            return rep.active;
        });
    }

    private Uni<RepView.CapUsage> usage(Rep rep) {
        return Sql.rows(CAP_USAGE.formatted("r.id = :id"), Map.of("id", rep.id))
                .map(rows -> rows.isEmpty() ? RepView.CapUsage.NONE : usageOf(rows.get(0)));
    }

    private static RepView.CapUsage usageOf(Object[] row) {
        return new RepView.CapUsage(((Number) row[1]).longValue(), ((Number) row[2]).longValue(),
                ((Number) row[3]).longValue());
    }

    private RepView view(Rep rep, RepView.CapUsage usage) {
        return RepView.of(rep, mapper.convertValue(rep.document, RepDocument.class), usage);
    }
}
