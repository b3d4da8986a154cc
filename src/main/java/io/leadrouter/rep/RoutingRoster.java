package io.leadrouter.rep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.routing.RepFacts;
import io.smallrye.mutiny.Uni;

/** The reps of a team as routing sees them: documents, live state, period usage and fairness counts. */
@ApplicationScoped
public class RoutingRoster {

    /**
     * Per rep: leads assigned in its current day, week and month (its timezone); its open offers, which caps count too
     * since they count once accepted; and leads of {@code :fairnessTeam} assigned in its fairness period (UTC): a rep in
     * several teams shares capacity and caps across them, but is fair within each. The one statement for period usage:
     * routing reads it with the open offers, the roster without. Each rep's leads are counted by its own range of
     * {@code lead_owner_assigned}, so a count reads that rep's last 32 days, not the table's.
     */
    private static final String USAGE = """
            SELECT %s
            FROM rep r
            CROSS JOIN LATERAL (SELECT coalesce(r.document ->> 'timezone', 'UTC') AS tz) z
            CROSS JOIN LATERAL (SELECT count(*) AS open FROM offer WHERE rep_id = r.id AND state = 'OPEN') o
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE l.assigned_at >= date_trunc('day', now() AT TIME ZONE z.tz) AT TIME ZONE z.tz) AS day,
                       count(*) FILTER (WHERE l.assigned_at >= date_trunc('week', now() AT TIME ZONE z.tz) AT TIME ZONE z.tz) AS week,
                       count(*) FILTER (WHERE l.assigned_at >= date_trunc('month', now() AT TIME ZONE z.tz) AT TIME ZONE z.tz) AS month,
                       count(*) FILTER (WHERE l.assigned_at >= date_trunc(:fairness, now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                                        AND l.team = :fairnessTeam) AS fairness
                FROM lead l WHERE l.owner_rep_id = r.id AND l.assigned_at >= now() - interval '32 days') u
            WHERE %s
            """;

    /** The usage of the reps {@code where} selects, a row per rep: id, day, week, month, open offers, fairness. */
    private static String usageOf(String where) {
        return USAGE.formatted("r.id, u.day, u.week, u.month, o.open, u.fairness", where);
    }

    private final ObjectMapper mapper;

    public RoutingRoster(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A team's active reps (by the GIN index on {@code teams}) with their usage in one statement, each rep as one JSON
     * text that Jackson reads once into its routing columns and its document. Read as entities, each rep's two JSON
     * columns went through four passes (the driver's JSON object, Hibernate's format mapper, the entity's snapshot, the
     * document's conversion): the largest share of an offer's CPU in teams of 100, by JFR.
     */
    private static final Sql.Direct TEAM = Sql.Direct.of(USAGE.formatted("""
            cast(json_build_object(
                       'rep', json_build_object('id', r.id, 'team', r.team, 'teams', r.teams, 'tier', r.tier, 'skills', r.skills,
                              'languages', r.languages, 'territories', r.territories, 'maxLoad', r.max_load, 'weight', r.weight,
                              'active', r.active, 'presence', r.presence, 'presenceLapsesAt', r.presence_lapses_at,
                              'activeLoad', r.active_load, 'lastAssignedAt', r.last_assigned_at, 'pausedAt', r.paused_at),
                       'document', r.document, 'day', u.day, 'week', u.week, 'month', u.month, 'open', o.open,
                       'fairness', u.fairness) AS text)""", "r.teams @> ARRAY[cast(:team AS text)] AND r.active"));

    /** A rep as {@link #TEAM} reads it: its routing columns (a rep outside any session), its document and its usage. */
    private record TeamRow(Rep rep, RepDocument document, int day, int week, int month, int open, int fairness) {
    }

    /**
     * The active reps of the team, whichever of their teams it is, outside the session: routing changes reps by
     * guarded SQL only, and a hundred managed reps made every flush and auto-flush of the offer's transaction walk them
     * (deep-compared while managed: a fifth of the CPU when pushing to teams of 100, by JFR; cascaded over even when
     * read-only: most of the offer's Hibernate time with 5,000 reps).
     */
    public Uni<List<RepFacts>> team(String team, boolean weeklyFairness) {
        return Sql.direct(TEAM, Map.of("team", team, "fairness", weeklyFairness ? "week" : "day", "fairnessTeam", team))
                .map(rows -> rows.stream().map(row -> facts((String) row[0])).toList());
    }

    private RepFacts facts(String teamRow) {
        TeamRow row;
        try {
            row = mapper.readValue(teamRow, TeamRow.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored rep did not read back", e);
        }
        return facts(row.rep(), row.document(), row.day(), row.week(), row.month(), row.open(), row.fairness());
    }

    /** One rep, as {@link #team} of its first team would give it. */
    public Uni<RepFacts> facts(Rep rep, boolean weeklyFairness) {
        return facts(rep, rep.team, weeklyFairness);
    }

    /** One rep, as {@link #team} of {@code team} would give it. */
    public Uni<RepFacts> facts(Rep rep, String team, boolean weeklyFairness) {
        return Sql.rows(usageOf("r.id = :id"), Map.of("id", rep.id, "fairness", weeklyFairness ? "week" : "day",
                "fairnessTeam", team))
                .map(rows -> facts(rep, rows.isEmpty() ? null : rows.get(0)));
    }

    /** A rep's period usage read again: under the caller's lock on the rep's row it is exact. */
    public Uni<RepFacts.Caps> usage(String repId) {
        return Sql.rows(usageOf("r.id = :id"), Map.of("id", repId, "fairness", "day", "fairnessTeam", ""))
                .map(rows -> rows.isEmpty() ? RepFacts.Caps.ZERO : caps(rows.get(0)));
    }

    /** Leads assigned in each rep's current day, week and month, by rep id: of the team, or of every rep (null). */
    public Uni<Map<String, RepView.CapUsage>> assigned(String team) {
        return Sql.rows(usageOf(team == null ? "true" : "r.teams @> ARRAY[cast(:team AS text)]"),
                team == null ? Map.of("fairness", "day", "fairnessTeam", "")
                        : Map.of("team", team, "fairness", "day", "fairnessTeam", "")).map(rows -> {
                    Map<String, RepView.CapUsage> usage = new HashMap<>();
                    rows.forEach(row -> usage.put((String) row[0], assigned(row)));
                    return usage;
                });
    }

    /** Leads assigned in the rep's current day, week and month. */
    public Uni<RepView.CapUsage> assignedTo(String repId) {
        return Sql.rows(usageOf("r.id = :id"), Map.of("id", repId, "fairness", "day", "fairnessTeam", ""))
                .map(rows -> rows.isEmpty() ? RepView.CapUsage.NONE : assigned(rows.get(0)));
    }

    private RepFacts facts(Rep rep, Object[] usage) {
        RepDocument document = mapper.convertValue(rep.document, RepDocument.class);
        return usage == null ? facts(rep, document, 0, 0, 0, 0, 0)
                : facts(rep, document, count(usage[1]), count(usage[2]), count(usage[3]), count(usage[4]), count(usage[5]));
    }

    /**
     * Fairness counts the rep's open offers with its assignments: a lead under offer is the rep's turn taken, or the
     * next lead would go to the same rep before it answers.
     */
    private static RepFacts facts(Rep rep, RepDocument document, int day, int week, int month, int open, int fairness) {
        return rep.facts(document, caps(day, week, month, open), fairness + open);
    }

    private static RepFacts.Caps caps(Object[] usage) {
        return caps(count(usage[1]), count(usage[2]), count(usage[3]), count(usage[4]));
    }

    private static RepFacts.Caps caps(int day, int week, int month, int open) {
        return new RepFacts.Caps(day + open, week + open, month + open);
    }

    private static RepView.CapUsage assigned(Object[] usage) {
        return new RepView.CapUsage(count(usage[1]), count(usage[2]), count(usage[3]));
    }

    private static int count(Object value) {
        return ((Number) value).intValue();
    }
}
