package io.leadrouter.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventService;
import io.leadrouter.event.RoutingEvent;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.policy.TeamPolicy;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.DecisionTrace;

/**
 * What the policy promises over time, each as one set-based statement that skips rows another
 * transaction holds: waiting leads gain priority (aging), leads held too long escalate back into
 * the queue with every fallback criterion relaxed, and assigned leads nobody closed within the SLA
 * are taken back.
 */
@ApplicationScoped
public class LeadUpkeep {

    /** Rows escalated or taken back per statement; the next sweep continues. */
    static final int BATCH = 500;

    /** Each queued lead's settings: the team's, else the defaults ({@code "*"}). */
    private static final String SETTINGS = """
            LATERAL (SELECT coalesce(j -> l.team, j -> '*') AS t FROM (SELECT cast(cast(:settings AS text) AS jsonb) AS j) s) p
            """;

    private static final String AGE = """
            UPDATE lead SET priority = a.aged, updated_at = now()
            FROM (SELECT l.id, g.aged FROM lead l, %s,
                      LATERAL (SELECT least(100, l.base_priority + least(cast(p.t ->> 'agingMax' AS integer),
                          cast(floor(extract(epoch FROM now() - l.created_at) / cast(p.t ->> 'agingEvery' AS double precision))
                              AS integer) * cast(p.t ->> 'agingStep' AS integer))) AS aged) g
                  WHERE l.status = 'QUEUED' AND p.t ->> 'agingEvery' IS NOT NULL AND g.aged <> l.priority
                  FOR UPDATE OF l SKIP LOCKED) a
            WHERE lead.id = a.id
            """.formatted(SETTINGS);

    private static final String ESCALATE_HELD = """
            WITH due AS (
                SELECT l.id, l.hold_reason, p.t FROM lead l, %s
                WHERE l.status = 'HELD' AND l.escalated_at IS NULL
                  AND l.held_at <= now() - make_interval(secs => cast(p.t ->> 'escalateHeldAfter' AS double precision))
                ORDER BY l.held_at LIMIT :limit
                FOR UPDATE OF l SKIP LOCKED
            )
            UPDATE lead SET status = 'QUEUED', hold_reason = NULL, held_at = NULL, escalated_at = now(),
                base_priority = lead.base_priority + cast(due.t ->> 'escalationBoost' AS integer),
                priority = least(100, lead.priority + cast(due.t ->> 'escalationBoost' AS integer)),
                relaxed = ARRAY(SELECT DISTINCT c FROM unnest(lead.relaxed
                    || ARRAY(SELECT jsonb_array_elements_text(due.t -> 'heldRelax'))) c ORDER BY c),
                updated_at = now()
            FROM due WHERE lead.id = due.id
            RETURNING lead.id, lead.team, due.hold_reason
            """.formatted(SETTINGS);

    /** The rep who let the lead go untended joins missed_by, so the lead is not routed back to it. */
    private static final String TAKE_BACK_UNTENDED = """
            WITH due AS (
                SELECT l.id, l.owner_rep_id AS rep_id, l.load_points FROM lead l, %s
                WHERE l.status = 'ASSIGNED' AND p.t ->> 'untendedAfter' IS NOT NULL
                  AND l.assigned_at <= now() - make_interval(secs => cast(p.t ->> 'untendedAfter' AS double precision))
                ORDER BY l.assigned_at LIMIT :limit
                FOR UPDATE OF l SKIP LOCKED
            ), l AS (
                UPDATE lead SET status = 'QUEUED', owner_rep_id = NULL, assigned_at = NULL,
                    missed_by = array_append(lead.missed_by, due.rep_id), updated_at = now()
                FROM due WHERE lead.id = due.id
                RETURNING lead.id, lead.team, lead.attempts, due.rep_id
            ), r AS (
                UPDATE rep SET active_load = rep.active_load - s.points, updated_at = now()
                FROM (SELECT rep_id, sum(load_points) AS points FROM due GROUP BY rep_id) s
                WHERE rep.id = s.rep_id
            )
            SELECT id, team, attempts, rep_id FROM l
            """.formatted(SETTINGS);

    /** A lead that left the holding pool or a rep's hands and is queued again. */
    public record Requeued(UUID leadId, String team, String fromRepId) {
    }

    private final PolicyService policies;
    private final EventService events;
    private final ModeService modes;
    private final ObjectMapper mapper;
    private final AgingCadence agingCadence = new AgingCadence();

    public LeadUpkeep(PolicyService policies, EventService events, ModeService modes, ObjectMapper mapper) {
        this.policies = policies;
        this.events = events;
        this.modes = modes;
        this.mapper = mapper;
    }

    /**
     * Re-computes the priority of every queued lead whose team's policy ages priorities, when {@link AgingCadence}
     * says it is due; returns how many changed.
     */
    @WithTransaction
    public Uni<Integer> agePriorities() {
        return policies.current().chain(policy -> agingCadence.due(policy.shortestAgingStep(), System.nanoTime())
                ? Sql.update(AGE, Map.of("settings", settings(policy)))
                : Uni.createFrom().item(0));
    }

    /** Escalates leads held longer than their team allows, once: boost, relaxed criteria, back to the queue, an event. */
    @WithTransaction
    public Uni<List<Requeued>> escalateHeld() {
        return policies.current().chain(policy -> Sql.rows(ESCALATE_HELD, Map.of("settings", settings(policy), "limit", BATCH))
                .chain(rows -> {
                    List<Requeued> requeued = new ArrayList<>(rows.size());
                    Uni<Void> recorded = Uni.createFrom().voidItem();
                    for (Object[] row : rows) {
                        UUID leadId = (UUID) row[0];
                        String team = (String) row[1];
                        TeamPolicy settings = policy.forTeam(team);
                        requeued.add(new Requeued(leadId, team, null));
                        recorded = recorded.chain(() -> events.record(RoutingEvent.Kind.ESCALATED, leadId, team, null,
                                "HELD_TOO_LONG: held (" + row[2] + ") for " + settings.escalateHeldAfter() + "; priority +"
                                        + settings.escalationPriorityBoost() + ", relaxed " + settings.heldRelax()));
                    }
                    return recorded.replaceWith(requeued);
                }));
    }

    /**
     * Takes back leads assigned longer than their team's SLA without being closed: requeued, the
     * rep's load freed, a TAKEN_BACK decision with the reason, and an event.
     */
    @WithTransaction
    public Uni<List<Requeued>> takeBackUntended() {
        return policies.current().chain(policy -> Sql.rows(TAKE_BACK_UNTENDED, Map.of("settings", settings(policy), "limit", BATCH))
                .chain(rows -> {
                    List<Requeued> requeued = new ArrayList<>(rows.size());
                    Uni<Void> recorded = Uni.createFrom().voidItem();
                    for (Object[] row : rows) {
                        Requeued lead = new Requeued((UUID) row[0], (String) row[1], (String) row[3]);
                        requeued.add(lead);
                        recorded = recorded.chain(() -> recordTakeBack(lead, ((Number) row[2]).intValue(), policy));
                    }
                    return recorded.replaceWith(requeued);
                }));
    }

    private Uni<Void> recordTakeBack(Requeued lead, int attempt, Policy policy) {
        Duration sla = policy.forTeam(lead.team()).untendedAfter();
        String reason = "UNTENDED: assigned to " + lead.fromRepId() + " and not closed within " + sla;
        return Decision.of(lead.leadId(), attempt, DecisionKind.TAKEN_BACK, modes.modeOf(lead.team()), lead.fromRepId(),
                null, policy.version(), new DecisionTrace(List.of(), List.of(), reason), Timestamps.now()).persist()
                .chain(() -> events.record(RoutingEvent.Kind.TAKEN_BACK, lead.leadId(), lead.team(), lead.fromRepId(), reason));
    }

    private String settings(Policy policy) {
        try {
            return mapper.writeValueAsString(policy.sqlSettings());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
