package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.DecisionTrace;
import io.leadrouter.routing.Resolution;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

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

    /** Held too long and never escalated, oldest first: locked for the escalation {@link Resolution} decides. */
    private static final String LOCK_HELD_TOO_LONG = """
            SELECT l.hold_reason, %s FROM lead l, %s
            WHERE l.status = 'HELD' AND l.escalated_at IS NULL
              AND l.held_at <= now() - make_interval(secs => cast(p.t ->> 'escalateHeldAfter' AS double precision))
            ORDER BY l.held_at LIMIT :limit
            FOR UPDATE OF l SKIP LOCKED
            """.formatted(LeadUpdate.STATE_COLUMNS, SETTINGS);

    /** Assigned past the team's SLA without being closed, oldest first: locked to be taken back. */
    private static final String LOCK_UNTENDED = """
            SELECT l.owner_rep_id, l.load_points, %s FROM lead l, %s
            WHERE l.status = 'ASSIGNED' AND p.t ->> 'untendedAfter' IS NOT NULL
              AND l.assigned_at <= now() - make_interval(secs => cast(p.t ->> 'untendedAfter' AS double precision))
            ORDER BY l.assigned_at LIMIT :limit
            FOR UPDATE OF l SKIP LOCKED
            """.formatted(LeadUpdate.STATE_COLUMNS, SETTINGS);

    /** A lead taken from a rep's hands and queued again. */
    private record Requeued(UUID leadId, String team, String fromRepId) {
    }

    private final PolicyService policies;
    private final EventLog events;
    private final ModeService modes;
    private final ObjectMapper mapper;
    private final AgingCadence agingCadence = new AgingCadence();

    public LeadUpkeep(PolicyService policies, EventLog events, ModeService modes, ObjectMapper mapper) {
        this.policies = policies;
        this.events = events;
        this.modes = modes;
        this.mapper = mapper;
    }

    /**
     * Re-computes the priority of every queued lead whose team's policy ages priorities, when {@link AgingCadence}
     * says it is due; returns how many changed.
     */
    public Uni<Integer> agePriorities() {
        return Panache.withTransaction(() -> policies.current().chain(policy -> agingCadence.due(policy.shortestAgingStep(),
                System.nanoTime())
                        ? Sql.update(AGE, Map.of("settings", settings(policy)))
                        : Uni.createFrom().item(0)));
    }

    /** Escalates leads held longer than their team allows, once: boost, relaxed criteria, back to the queue; returns how many. */
    public Uni<Integer> escalateHeld() {
        return events.inTransaction(batch -> policies.current().chain(policy -> Sql.rows(LOCK_HELD_TOO_LONG,
                Map.of("settings", settings(policy), "limit", BATCH)).chain(rows -> {
                    List<LeadUpdate.Change> changes = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        UUID leadId = (UUID) row[1];
                        Resolution.Lead lead = LeadUpdate.leadOf(row, 1);
                        Resolution.Outcome outcome = Resolution.of(Resolution.Cause.HELD_TOO_LONG, lead,
                                policy.forTeam((String) row[2]).resolutionRules());
                        changes.add(new LeadUpdate.Change(leadId, LeadStatus.HELD, lead.attempt(),
                                outcome.held() ? LeadStatus.HELD : LeadStatus.QUEUED, outcome.held() ? (String) row[0] : null,
                                null, null, outcome));
                    }
                    return LeadUpdate.apply(changes, mapper).map(moved -> {
                        for (Object[] row : rows) {
                            UUID leadId = (UUID) row[1];
                            String team = (String) row[2];
                            if (!moved.contains(leadId)) {
                                continue;
                            }
                            TeamPolicy settings = policy.forTeam(team);
                            batch.lead(EventType.LEAD_ESCALATED, leadId, team, null, policy.version(), data("reason",
                                    "HELD_TOO_LONG: held (" + row[0] + ") for " + settings.escalateHeldAfter() + "; priority +"
                                            + settings.escalationPriorityBoost() + ", relaxed " + settings.heldRelax()), null);
                            batch.lead(EventType.LEAD_REQUEUED, leadId, team, null, policy.version(),
                                    data("cause", "ESCALATED", "holdReason", row[0]), null);
                        }
                        return moved.size();
                    });
                })));
    }

    /**
     * Takes back leads assigned longer than their team's SLA without being closed: requeued (the rep joins missed_by,
     * a failure {@link Resolution} counts), the rep's load freed, a TAKEN_BACK decision with the reason; returns how many.
     */
    public Uni<Integer> takeBackUntended() {
        return events.inTransaction(batch -> policies.current().chain(policy -> Sql.rows(LOCK_UNTENDED,
                Map.of("settings", settings(policy), "limit", BATCH)).chain(rows -> {
                    List<LeadUpdate.Change> changes = new ArrayList<>(rows.size());
                    List<RepLoad.Release> released = new ArrayList<>(rows.size());
                    Map<UUID, Resolution.Outcome> outcomes = new HashMap<>();
                    for (Object[] row : rows) {
                        UUID leadId = (UUID) row[2];
                        Resolution.Lead lead = LeadUpdate.leadOf(row, 2);
                        Resolution.Outcome outcome = Resolution.of(Resolution.Cause.TAKEN_BACK, lead,
                                policy.forTeam((String) row[3]).resolutionRules());
                        outcomes.put(leadId, outcome);
                        changes.add(new LeadUpdate.Change(leadId, LeadStatus.ASSIGNED, lead.attempt(), LeadStatus.QUEUED, null,
                                null, (String) row[0], outcome));
                        released.add(new RepLoad.Release((String) row[0], ((Number) row[1]).intValue()));
                    }
                    return LeadUpdate.apply(changes, mapper).call(() -> RepLoad.release(released, mapper)).chain(moved -> {
                        Uni<Void> recorded = Uni.createFrom().voidItem();
                        for (Object[] row : rows) {
                            UUID leadId = (UUID) row[2];
                            if (!moved.contains(leadId)) {
                                continue;
                            }
                            Requeued lead = new Requeued(leadId, (String) row[3], (String) row[0]);
                            int attempt = ((Number) row[4]).intValue();
                            recorded = recorded.chain(() -> recordTakeBack(lead, attempt, outcomes.get(leadId), policy, batch));
                        }
                        return recorded.replaceWith(moved.size());
                    });
                })));
    }

    private Uni<Void> recordTakeBack(Requeued lead, int attempt, Resolution.Outcome outcome, Policy policy, EventBatch batch) {
        TeamPolicy settings = policy.forTeam(lead.team());
        String reason = "UNTENDED: assigned to " + lead.fromRepId() + " and not closed within " + settings.untendedAfter();
        batch.lead(EventType.LEAD_TAKEN_BACK, lead.leadId(), lead.team(), lead.fromRepId(), policy.version(),
                data("reason", reason), null);
        if (outcome.escalates()) {
            batch.lead(EventType.LEAD_ESCALATED, lead.leadId(), lead.team(), lead.fromRepId(), policy.version(), data("reason",
                    LeadUpdate.repeatedMisses(settings), "priority", outcome.priority()), null);
        }
        batch.lead(EventType.LEAD_REQUEUED, lead.leadId(), lead.team(), lead.fromRepId(), policy.version(),
                data("cause", "TAKEN_BACK"), null);
        return Decision.of(lead.leadId(), attempt, DecisionKind.TAKEN_BACK, modes.modeOf(lead.team()), lead.fromRepId(),
                null, policy.version(), new DecisionTrace(List.of(), List.of(), reason), Timestamps.now()).persist()
                .replaceWithVoid();
    }

    private String settings(Policy policy) {
        try {
            return mapper.writeValueAsString(policy.sqlSettings());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
