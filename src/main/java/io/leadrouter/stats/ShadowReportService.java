package io.leadrouter.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Sql;
import io.leadrouter.policy.ShadowPolicyService;
import io.leadrouter.routing.ShadowComparison;
import io.smallrye.mutiny.Uni;

/**
 * The shadow report: the shadow decisions of a window grouped by who each side chose, compared by
 * {@link ShadowComparison} over the teams' active reps with their weights, and a sample of the disagreements.
 */
@ApplicationScoped
public class ShadowReportService {

    /** Disagreements listed, the newest first. */
    static final int DISAGREEMENT_SAMPLE = 20;
    /** Groups of (live rep, shadow rep) one report reads at most; a larger window must name a team. */
    static final int MAX_PAIRINGS = 10_000;

    private static final String PAIRINGS = """
            SELECT team, live_rep_id, live_tier, shadow_rep_id, shadow_tier, count(*), coalesce(sum(lead_value), 0)
            FROM shadow_decision WHERE created_at >= :from AND created_at < :to %1$s
            GROUP BY team, live_rep_id, live_tier, shadow_rep_id, shadow_tier
            LIMIT :limit
            """;
    private static final String DISAGREEMENTS = """
            SELECT lead_id, team, live_rep_id, shadow_rep_id FROM shadow_decision
            WHERE created_at >= :from AND created_at < :to AND NOT agreed %1$s
            ORDER BY created_at DESC, id DESC LIMIT :limit
            """;
    private static final String ROSTER = "SELECT team, id, weight FROM rep WHERE active AND team IN (:teams) ORDER BY team, id";
    private static final String ONE_TEAM = "AND team = :team";

    /**
     * The report of a window.
     *
     * @param shadowVersion the newest shadow version when the window is its lifetime; null for a window given
     */
    public record ShadowReport(Instant from, Instant to, String team, Integer shadowVersion, long decisions, long agreed,
            Double agreementRate, List<ShadowComparison.TeamComparison> teams, List<ShadowComparison.TierValue> valueByTier,
            List<ShadowComparison.RepComparison> reps, List<ShadowComparison.Disagreement> disagreements) {
    }

    private final ShadowPolicyService shadows;

    public ShadowReportService(ShadowPolicyService shadows) {
        this.shadows = shadows;
    }

    /** Runs in the caller's session; a missing bound is the newest shadow's (published, stopped or now). */
    public Uni<ShadowReport> report(Instant from, Instant to, String team) {
        Uni<Window> window = from != null && to != null ? Uni.createFrom().item(new Window(from, to, null))
                : shadows.newest().map(newest -> {
                    ShadowPolicyService.Shadow shadow = newest.orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                            "NO_SHADOW_POLICY", "No shadow policy was published: give from and to"));
                    Instant end = shadow.stoppedAt() != null ? shadow.stoppedAt() : Instant.now();
                    return new Window(from != null ? from : shadow.createdAt(), to != null ? to : end,
                            from == null && to == null ? shadow.policy().version() : null);
                });
        return window.chain(w -> {
            if (!w.from().isBefore(w.to())) {
                return Uni.createFrom().failure(DomainException.invalid("INVALID_WINDOW", "from must be before to"));
            }
            Map<String, Object> params = new HashMap<>();
            params.put("from", w.from());
            params.put("to", w.to());
            if (team != null) {
                params.put("team", team);
            }
            String filter = team == null ? "" : ONE_TEAM;
            Map<String, Object> pairingParams = new HashMap<>(params);
            pairingParams.put("limit", MAX_PAIRINGS + 1);
            return Sql.rows(PAIRINGS.formatted(filter), pairingParams).chain(rows -> {
                if (rows.size() > MAX_PAIRINGS) {
                    return Uni.createFrom().failure(new DomainException(DomainException.Kind.UNPROCESSABLE, "REPORT_TOO_LARGE",
                            "More than " + MAX_PAIRINGS + " pairs of reps in the window: name a team or narrow the window"));
                }
                List<ShadowComparison.Pairing> pairings = rows.stream().map(row -> new ShadowComparison.Pairing((String) row[0],
                        (String) row[1], integer(row[2]), (String) row[3], integer(row[4]), ((Number) row[5]).longValue(),
                        ((Number) row[6]).doubleValue())).toList();
                List<String> teams = pairings.stream().map(ShadowComparison.Pairing::team).distinct().toList();
                Uni<List<ShadowComparison.RosterRep>> roster = teams.isEmpty() ? Uni.createFrom().item(List.of())
                        : Sql.rows(ROSTER, Map.of("teams", teams)).map(reps -> reps.stream().map(rep -> new ShadowComparison.RosterRep(
                                (String) rep[0], (String) rep[1], ((Number) rep[2]).doubleValue())).toList());
                Map<String, Object> sampleParams = new HashMap<>(params);
                sampleParams.put("limit", DISAGREEMENT_SAMPLE);
                return roster.chain(reps -> Sql.rows(DISAGREEMENTS.formatted(filter), sampleParams).map(sample -> {
                    List<ShadowComparison.Disagreement> disagreements = new ArrayList<>(sample.size());
                    sample.forEach(row -> disagreements.add(new ShadowComparison.Disagreement((UUID) row[0], (String) row[1],
                            (String) row[2], (String) row[3])));
                    ShadowComparison.Report report = ShadowComparison.compare(pairings, reps, disagreements);
                    return new ShadowReport(w.from(), w.to(), team, w.shadowVersion(), report.decisions(), report.agreed(),
                            report.agreementRate(), report.teams(), report.valueByTier(), report.reps(), report.disagreements());
                }));
            });
        });
    }

    private record Window(Instant from, Instant to, Integer shadowVersion) {
    }

    private static Integer integer(Object column) {
        return column == null ? null : ((Number) column).intValue();
    }
}
