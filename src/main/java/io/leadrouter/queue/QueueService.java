package io.leadrouter.queue;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.Sql;
import io.leadrouter.lifecycle.ModeService;
import io.leadrouter.rep.RepSql;
import io.leadrouter.routing.Mode;
import io.smallrye.mutiny.Uni;

/** The queue at a glance, for {@code GET /queue} and the manager console; runs in the caller's session. */
@ApplicationScoped
public class QueueService {

    private static final String QUEUED = """
            SELECT team, priority, count(*), extract(epoch FROM now() - min(created_at))
            FROM lead WHERE status = 'QUEUED' %s GROUP BY team, priority
            """;
    private static final String AVAILABLE = """
            SELECT team, count(*) FROM (SELECT unnest(teams) AS team FROM rep WHERE %s) r
            WHERE true %%s GROUP BY team
            """.formatted(RepSql.offerable(""));
    private static final String HELD = "SELECT count(*) FROM lead WHERE status = 'HELD' %s";
    /** Counted per team first, so the roster is asked once per team, not once per lead. */
    private static final String WITHOUT_REPS = """
            SELECT w.team, w.n FROM (SELECT l.team, count(*) AS n FROM lead l WHERE l.status IN ('QUEUED', 'HELD') %s GROUP BY l.team) w
            WHERE NOT EXISTS (SELECT 1 FROM rep r WHERE r.teams @> ARRAY[w.team] AND r.active)
            """;

    private final ModeService modes;
    private final LeadRouterConfig config;

    public QueueService(ModeService modes, LeadRouterConfig config) {
        this.modes = modes;
        this.config = config;
    }

    /** The whole queue, or one team's; the top-level mode is that team's (else the default team's). */
    public Uni<QueueView> snapshot(String team) {
        String filter = team == null ? "" : "AND team = :team";
        Map<String, Object> params = team == null ? Map.of() : Map.of("team", team);
        return Sql.rows(QUEUED.formatted(filter), params).chain(queued -> Sql.rows(AVAILABLE.formatted(filter), params)
                .chain(available -> Sql.<Long> list(HELD.formatted(filter), Long.class, params)
                .chain(held -> Sql.rows(WITHOUT_REPS.formatted(team == null ? "" : "AND l.team = :team"), params).map(withoutReps -> {
                    Map<String, TeamTotals> teams = new TreeMap<>();
                    for (Object[] row : queued) {
                        teams.computeIfAbsent((String) row[0], t -> new TeamTotals())
                                .addQueued(((Number) row[1]).intValue(), ((Number) row[2]).longValue(), ((Number) row[3]).doubleValue());
                    }
                    for (Object[] row : available) {
                        teams.computeIfAbsent((String) row[0], t -> new TeamTotals()).availableReps = ((Number) row[1]).longValue();
                    }
                    TeamTotals total = new TeamTotals();
                    Map<String, QueueView.TeamQueue> byTeam = new TreeMap<>();
                    teams.forEach((name, totals) -> {
                        total.add(totals);
                        byTeam.put(name, new QueueView.TeamQueue(totals.depth, totals.byPriority, totals.oldestSeconds(),
                                modes.modeOf(name), totals.availableReps));
                    });
                    Mode mode = modes.modeOf(team == null ? config.defaultTeam() : team);
                    Map<String, Long> unstaffed = new TreeMap<>();
                    withoutReps.forEach(row -> unstaffed.put((String) row[0], ((Number) row[1]).longValue()));
                    return new QueueView(total.depth, total.byPriority, total.oldestSeconds(), mode, total.availableReps,
                            held.get(0), byTeam, unstaffed);
                }))));
    }

    private static final class TeamTotals {
        long depth;
        final Map<Integer, Long> byPriority = new TreeMap<>();
        double oldest;
        long availableReps;

        void addQueued(int priority, long count, double waitingSeconds) {
            depth += count;
            byPriority.merge(priority, count, Long::sum);
            oldest = Math.max(oldest, waitingSeconds);
        }

        void add(TeamTotals other) {
            depth += other.depth;
            other.byPriority.forEach((p, c) -> byPriority.merge(p, c, Long::sum));
            oldest = Math.max(oldest, other.oldest);
            availableReps += other.availableReps;
        }

        long oldestSeconds() {
            return (long) Math.floor(oldest);
        }
    }
}
