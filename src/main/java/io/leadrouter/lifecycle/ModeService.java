package io.leadrouter.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.Sql;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.rep.RepSql;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.TeamLoad;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Each team's matcher mode, kept in team_mode so every process sees the same one. */
@ApplicationScoped
public class ModeService {

    /*
     * A lead under offer still counts as waiting and the capacity its offer reserves still counts
     * as free, so making offers never moves the pressure by itself: only arrivals, accepts, closes
     * and presence changes do. The queued leads are counted from the lead_queue index and the offered ones by status,
     * so the count reads the queue, not the table's history of closed leads.
     */
    private static final String LOADS = """
            WITH q AS (SELECT team, count(*) AS waiting
                       FROM (SELECT team FROM lead WHERE status = 'QUEUED' UNION ALL SELECT team FROM lead WHERE status = 'OFFERED') w
                       GROUP BY team),
                 o AS (SELECT rep_id, sum(load_points) AS points FROM offer WHERE state = 'OPEN' GROUP BY rep_id),
                 c AS (SELECT rt.team, sum(greatest(r.max_load - r.active_load + coalesce(o.points, 0), 0)) AS free
                       FROM rep r CROSS JOIN LATERAL unnest(r.teams) AS rt(team) LEFT JOIN o ON o.rep_id = r.id
                       WHERE %s GROUP BY rt.team),
                 t AS (SELECT team FROM q UNION SELECT team FROM c UNION SELECT team FROM team_mode)
            SELECT t.team, coalesce(q.waiting, 0), coalesce(c.free, 0), coalesce(m.mode, 'PUSH')
            FROM t LEFT JOIN q ON q.team = t.team LEFT JOIN c ON c.team = t.team LEFT JOIN team_mode m ON m.team = t.team
            """.formatted(RepSql.offerable("r"));

    private static final String SWITCH = """
            INSERT INTO team_mode (team, mode) VALUES (:team, :mode)
            ON CONFLICT (team) DO UPDATE SET mode = excluded.mode, changed_at = now()
            WHERE team_mode.mode <> excluded.mode
            """;

    private final Map<String, Mode> known = new ConcurrentHashMap<>();
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();
    private final PolicyService policies;

    public ModeService(PolicyService policies) {
        this.policies = policies;
    }

    /** The mode this process last saw for the team; PUSH for a team never evaluated. */
    public Mode modeOf(String team) {
        return known.getOrDefault(team, Mode.PUSH);
    }

    /** The teams this process has evaluated. */
    public Set<String> knownTeams() {
        return Set.copyOf(known.keySet());
    }

    /** Leads queued or under offer in the team at the last evaluation (the queue depth clients are told). */
    public long waitingOf(String team) {
        return waiting.getOrDefault(team, 0L);
    }

    /** Recomputes every team's load, switches modes past its policy's thresholds, and reports what changed. */
    @WithTransaction
    public Uni<List<TeamLoad>> evaluate() {
        return policies.current().chain(policy -> Sql.rows(LOADS, Map.of()).chain(rows -> {
            List<TeamLoad> loads = new ArrayList<>(rows.size());
            Uni<Void> switches = Uni.createFrom().voidItem();
            for (Object[] row : rows) {
                String team = (String) row[0];
                long queued = ((Number) row[1]).longValue();
                long free = ((Number) row[2]).longValue();
                Mode stored = Mode.valueOf((String) row[3]);
                Mode next = policy.forTeam(team).mode().next(stored, queued, free);
                if (next != stored) {
                    switches = switches.chain(() -> Sql.update(SWITCH, Map.of("team", team, "mode", next.name())))
                            .replaceWithVoid();
                }
                Mode previous = known.put(team, next);
                Long waitedBefore = waiting.put(team, queued);
                loads.add(new TeamLoad(team, next, queued, free, previous != null ? previous != next : next != Mode.PUSH,
                        waitedBefore == null || waitedBefore != queued));
            }
            return switches.replaceWith(loads);
        }));
    }
}
