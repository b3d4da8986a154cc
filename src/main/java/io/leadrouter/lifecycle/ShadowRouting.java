package io.leadrouter.lifecycle;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.lead.Lead;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.ShadowPolicyService;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.CandidateTrace;
import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.LeadFacts;
import io.leadrouter.routing.Ranking;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.RoutingEngine;
import io.leadrouter.routing.ShadowComparison;
import io.smallrye.mutiny.Uni;

/**
 * Every live decision computed again under the shadow policy, with the same {@link RoutingEngine}, reps and lead facts,
 * and recorded beside it in its transaction without acting on it. Costs nothing while no shadow is published; while
 * one is, one read of the shadow's disagreements in the period, one ranking in memory and one INSERT per decision.
 */
@ApplicationScoped
public class ShadowRouting {

    /** The shadow's best candidates kept per decision. */
    static final int TOP_CANDIDATES = 3;

    private static final String INSERT = """
            INSERT INTO shadow_decision (lead_id, attempt, team, kind, live_rep_id, live_tier, shadow_rep_id, shadow_tier,
                agreed, lead_value, policy_version, shadow_version, candidates)
            VALUES (:lead, :attempt, :team, :kind, :liveRep, :liveTier, :shadowRep, :shadowTier, :agreed, :value, :policy,
                :shadowVersion, cast(cast(:candidates AS text) AS jsonb))
            """;

    /** What the shadow would have done: its choice (null: nobody), the tiers of the reps it saw, its best candidates. */
    public record Route(int shadowVersion, String repId, Map<String, Integer> tiers, List<Map<String, Object>> candidates) {
    }

    private final RoutingEngine engine;
    private final ShadowPolicyService shadows;
    private final ObjectMapper mapper;

    public ShadowRouting(RoutingEngine engine, ShadowPolicyService shadows, ObjectMapper mapper) {
        this.engine = engine;
        this.shadows = shadows;
        this.mapper = mapper;
    }

    /**
     * How many more (or fewer) leads of the team each rep would have got under the shadow in its fairness period than
     * live routing gave it: the shadow's fairness runs on its own choices, or it would keep choosing whom the live
     * policy left behind. Only disagreements count, so a shadow equal to the live policy ranks exactly as live.
     */
    private static final String SHADOW_DIFFERENCE = """
            SELECT rep_id, sum(difference) FROM (
                SELECT shadow_rep_id AS rep_id, 1 AS difference FROM shadow_decision
                WHERE shadow_version = :version AND team = :team AND NOT agreed AND shadow_rep_id IS NOT NULL
                  AND created_at >= date_trunc(:fairness, now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                UNION ALL
                SELECT live_rep_id, -1 FROM shadow_decision
                WHERE shadow_version = :version AND team = :team AND NOT agreed AND live_rep_id IS NOT NULL
                  AND created_at >= date_trunc(:fairness, now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
            ) d GROUP BY rep_id
            """;

    /**
     * A push decision under the shadow: its best-ranked rep of the team, each rep's fairness count moved by what the
     * shadow would have given it differently; null when no shadow is published.
     */
    public Uni<Route> route(LeadFacts lead, List<RepFacts> reps, Instant now) {
        Policy shadow = shadows.active();
        if (shadow == null) {
            return Uni.createFrom().nullItem();
        }
        TeamPolicy team = shadow.forTeam(lead.team());
        return Sql.rows(SHADOW_DIFFERENCE, Map.of("version", shadow.version(), "team", lead.team(), "fairness",
                team.fairnessWeekly() ? "week" : "day")).map(rows -> {
                    Map<String, Long> difference = new HashMap<>();
                    rows.forEach(row -> difference.put((String) row[0], ((Number) row[1]).longValue()));
                    return route(shadow.version(), engine.rank(lead, ShadowComparison.asShadowSees(reps, difference), team.routing(), now), reps);
                });
    }

    private static Route route(int version, Ranking ranking, List<RepFacts> reps) {
        Map<String, Integer> tiers = new HashMap<>();
        reps.forEach(rep -> tiers.put(rep.id(), rep.tier()));
        Map<String, Double> scores = new HashMap<>();
        ranking.candidates().stream().filter(CandidateTrace::eligible).forEach(c -> scores.put(c.repId(), c.score()));
        List<Map<String, Object>> top = ranking.ranked().stream().limit(TOP_CANDIDATES)
                .map(id -> Map.<String, Object> of("repId", id, "score", scores.getOrDefault(id, 0.0))).toList();
        return new Route(version, ranking.ranked().isEmpty() ? null : ranking.ranked().get(0), tiers, top);
    }

    /**
     * A pull under the shadow: the rep chose the lead, so the shadow's question is whether its rules let this rep take
     * it (the lead-side constraints the live pull checks); null when no shadow is published.
     */
    public Route pulled(LeadFacts lead, RepFacts rep, Instant now) {
        Policy shadow = shadows.active();
        if (shadow == null) {
            return null;
        }
        Map<String, Integer> tiers = new HashMap<>();
        tiers.put(rep.id(), rep.tier());
        return engine.leadExclusion(lead, rep, shadow.forTeam(lead.team()).routing(), now)
                .map(excluded -> new Route(shadow.version(), null, tiers,
                        List.<Map<String, Object>> of(Map.of("repId", rep.id(), "exclusion", String.valueOf(excluded.exclusion())))))
                .orElseGet(() -> new Route(shadow.version(), rep.id(), tiers, List.of(Map.of("repId", rep.id()))));
    }

    /** Records the shadow's view beside the live decision, in the caller's transaction; nothing when {@code route} is null. */
    public Uni<Void> record(Route route, Lead lead, int attempt, DecisionKind kind, String liveRepId, int policyVersion) {
        if (route == null) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> params = new HashMap<>();
        params.put("lead", lead.id);
        params.put("attempt", attempt);
        params.put("team", lead.team);
        params.put("kind", kind.name());
        params.put("liveRep", liveRepId);
        params.put("liveTier", liveRepId == null ? null : route.tiers().get(liveRepId));
        params.put("shadowRep", route.repId());
        params.put("shadowTier", route.repId() == null ? null : route.tiers().get(route.repId()));
        params.put("agreed", Objects.equals(liveRepId, route.repId()));
        params.put("value", lead.value);
        params.put("policy", policyVersion);
        params.put("shadowVersion", route.shadowVersion());
        params.put("candidates", json(route.candidates()));
        return Sql.update(INSERT, params).replaceWithVoid();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
