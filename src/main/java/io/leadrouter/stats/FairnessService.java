package io.leadrouter.stats;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;


import io.leadrouter.common.Sql;
import io.leadrouter.routing.Fairness;
import io.smallrye.mutiny.Uni;

/**
 * Fairness of the current day or ISO week: per active rep, leads assigned in the current day or ISO week (UTC,
 * as the fairness score counts them) and their value against the rep's weighted share, and per
 * team the max/min ratio and Gini of assignments per weight.
 */
@ApplicationScoped
public class FairnessService {

    /**
     * Leads ever assigned in the period count, closed ones too; leads taken back lost their assignment. A rep in several
     * teams is in each, with the leads of that team.
     */
    private static final String ASSIGNED = """
            SELECT rt.team, r.id, r.name, r.weight, count(l.id), coalesce(sum(l.value), 0)
            FROM rep r
            CROSS JOIN LATERAL unnest(r.teams) AS rt(team)
            LEFT JOIN lead l ON l.owner_rep_id = r.id AND l.team = rt.team AND l.assigned_at >= :from
            WHERE r.active %s
            GROUP BY rt.team, r.id
            ORDER BY rt.team, r.id
            """;

    public record RepShare(String repId, String name, double weight, long assigned, double value, double weightedShare,
            double expected, Double ratio) {
    }

    /**
     * @param maxMinRatio highest over lowest assignments per weight; null when a rep got none while another got some
     * @param gini 0 when assignments follow the weights exactly, towards 1 when one rep gets everything
     */
    public record TeamFairness(String team, long assigned, double value, Double maxMinRatio, double gini,
            List<RepShare> reps) {
    }

    public record FairnessView(String period, Instant from, List<TeamFairness> teams) {
    }

    /** Runs in the caller's session; {@code period} is day or week, {@code team} null for all. */
    public Uni<FairnessView> measure(String period, String team) {
        Instant from = periodStart(period, Instant.now());
        Map<String, Object> params = team == null ? Map.of("from", from) : Map.of("from", from, "team", team);
        return Sql.rows(ASSIGNED.formatted(team == null ? "" : "AND rt.team = :team"), params).map(rows -> {
            Map<String, List<Object[]>> byTeam = new LinkedHashMap<>();
            rows.forEach(row -> byTeam.computeIfAbsent((String) row[0], t -> new ArrayList<>()).add(row));
            List<TeamFairness> teams = new ArrayList<>();
            byTeam.forEach((name, reps) -> teams.add(team(name, reps)));
            return new FairnessView(period, from, teams);
        });
    }

    private static TeamFairness team(String team, List<Object[]> rows) {
        List<Fairness.Share> shares = rows.stream().map(row -> new Fairness.Share((String) row[1],
                ((Number) row[3]).doubleValue(), ((Number) row[4]).longValue(), ((Number) row[5]).doubleValue())).toList();
        Fairness.Report report = Fairness.measure(shares);
        List<RepShare> reps = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Fairness.RepFairness rep = report.reps().get(i);
            reps.add(new RepShare(rep.repId(), (String) rows.get(i)[2], rep.weight(), rep.assigned(), rep.value(),
                    rep.weightedShare(), rep.expected(), rep.ratio()));
        }
        return new TeamFairness(team, report.assigned(), report.value(), report.maxMinRatio(), report.gini(), reps);
    }

    /** Midnight UTC today, or Monday midnight UTC this ISO week. */
    public static Instant periodStart(String period, Instant now) {
        ZonedDateTime day = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        return (period.equals("week") ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : day).toInstant();
    }
}
