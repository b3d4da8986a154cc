package io.leadrouter.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.Sql;
import io.smallrye.mutiny.Uni;

/**
 * Declines of the current day or ISO week (UTC, as {@link FairnessService} counts assignments), per rep and by the
 * reason the rep gave ({@code offer.decline_reason}; "" when none).
 */
@ApplicationScoped
public class DeclineStats {

    /** Reasons are free text (500 characters at most): a rep's rarest ones past this many rows are left out. */
    static final int MAX_ROWS = 5000;

    private static final String DECLINES = """
            SELECT o.rep_id, r.team, coalesce(o.decline_reason, ''), count(*)
            FROM offer o JOIN rep r ON r.id = o.rep_id
            WHERE o.state = 'DECLINED' AND o.resolved_at >= :from %s
            GROUP BY o.rep_id, r.team, coalesce(o.decline_reason, '')
            ORDER BY o.rep_id, count(*) DESC, 3
            LIMIT :limit
            """;

    /** One rep's declines: how many, and how many per reason, most frequent first. */
    public record RepDeclines(String repId, String team, long declined, Map<String, Long> byReason) {
    }

    public record DeclinesView(String period, Instant from, List<RepDeclines> reps) {
    }

    /** Runs in the caller's session; {@code period} is day or week, {@code team} null for all. */
    public Uni<DeclinesView> measure(String period, String team) {
        Instant from = FairnessService.periodStart(period, Instant.now());
        Map<String, Object> params = team == null ? Map.of("from", from, "limit", MAX_ROWS)
                : Map.of("from", from, "team", team, "limit", MAX_ROWS);
        return Sql.rows(DECLINES.formatted(team == null ? "" : "AND r.team = :team"), params).map(rows -> {
            Map<String, RepDeclines> byRep = new LinkedHashMap<>();
            for (Object[] row : rows) {
                long count = ((Number) row[3]).longValue();
                RepDeclines rep = byRep.computeIfAbsent((String) row[0], id -> new RepDeclines(id, (String) row[1], 0,
                        new LinkedHashMap<>()));
                rep.byReason().put((String) row[2], count);
                byRep.put(rep.repId(), new RepDeclines(rep.repId(), rep.team(), rep.declined() + count, rep.byReason()));
            }
            return new DeclinesView(period, from, new ArrayList<>(byRep.values()));
        });
    }
}
