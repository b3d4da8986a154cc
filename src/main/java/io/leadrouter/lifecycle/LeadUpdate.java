package io.leadrouter.lifecycle;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.Resolution;
import io.smallrye.mutiny.Uni;

/**
 * The one statement that moves leads back to the queue or into the holding pool, with what {@link Resolution} decided
 * for each: after a decline, a lapsed or cancelled offer, a take-back, or an escalation out of the holding pool.
 * Fenced by the status and attempt the caller read under its lock; the lead table's CHECKs tie status to owner, hold
 * reason and hold time.
 */
final class LeadUpdate {

    private LeadUpdate() {
    }

    /** The columns every caller reads (table alias {@code l}) to build {@link #leadOf}. */
    static final String STATE_COLUMNS = """
            l.id, l.team, l.attempts, cardinality(l.declined_by) + cardinality(l.missed_by), l.escalated_at IS NOT NULL,
            l.base_priority, l.priority, array_to_string(l.relaxed, ',')""";

    /** How many columns {@link #STATE_COLUMNS} spans. */
    static final int STATE_WIDTH = 8;

    private static final String APPLY = """
            UPDATE lead SET status = d.status, hold_reason = d.hold_reason,
                held_at = CASE WHEN d.status = 'HELD' THEN now() END,
                owner_rep_id = NULL, assigned_at = NULL,
                declined_by = CASE WHEN d.declined IS NULL THEN lead.declined_by ELSE array_append(lead.declined_by, d.declined) END,
                missed_by = CASE WHEN d.missed IS NULL THEN lead.missed_by ELSE array_append(lead.missed_by, d.missed) END,
                escalated_at = CASE WHEN d.escalate THEN now() ELSE lead.escalated_at END,
                base_priority = d.base_priority, priority = d.priority, relaxed = d.relaxed, updated_at = now()
            FROM jsonb_to_recordset(cast(cast(:changes AS text) AS jsonb)) AS d(id uuid, from_status text, attempt integer,
                status text, hold_reason text, declined text, missed text, escalate boolean, base_priority integer,
                priority integer, relaxed text[])
            WHERE lead.id = d.id AND lead.status = d.from_status AND lead.attempts = d.attempt
            RETURNING lead.id
            """;

    /**
     * One lead's move.
     *
     * @param from the status it was read in, under the caller's lock
     * @param declinedBy the rep to add to declined_by, or null
     * @param missedBy the rep to add to missed_by (a lapsed offer, a take-back), or null
     */
    record Change(UUID leadId, LeadStatus from, int attempt, LeadStatus to, String holdReason, String declinedBy,
            String missedBy, Resolution.Outcome outcome) {
    }

    /** Why a lead escalated on its failures, as the manager event says it. */
    static String repeatedMisses(TeamPolicy team) {
        return "REPEATED_MISSES: " + team.escalateAfterAttempts() + " offers lapsed, declined or taken back; priority +"
                + team.escalationPriorityBoost() + (team.escalationRelax().isEmpty() ? "" : ", relaxed " + team.escalationRelax());
    }

    /** The lead's state as read by {@link #STATE_COLUMNS} starting at {@code at}. */
    static Resolution.Lead leadOf(Object[] row, int at) {
        Set<Criterion> relaxed = EnumSet.noneOf(Criterion.class);
        String names = (String) row[at + 7];
        if (!names.isEmpty()) {
            Arrays.stream(names.split(",")).map(Criterion::valueOf).forEach(relaxed::add);
        }
        return new Resolution.Lead(((Number) row[at + 2]).intValue(), ((Number) row[at + 3]).intValue(), (Boolean) row[at + 4],
                ((Number) row[at + 5]).intValue(), ((Number) row[at + 6]).intValue(), relaxed);
    }

    /** Applies the changes; returns the leads that moved (a lead no longer at its status and attempt does not). */
    static Uni<Set<UUID>> apply(List<Change> changes, ObjectMapper mapper) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<Map<String, Object>> rows = changes.stream().map(LeadUpdate::row).toList();
        try {
            return Sql.list(APPLY, UUID.class, Map.of("changes", mapper.writeValueAsString(rows))).map(HashSet::new);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> row(Change change) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", change.leadId());
        row.put("from_status", change.from().name());
        row.put("attempt", change.attempt());
        row.put("status", change.to().name());
        row.put("hold_reason", change.holdReason());
        row.put("declined", change.declinedBy());
        row.put("missed", change.missedBy());
        row.put("escalate", change.outcome().escalates());
        row.put("base_priority", change.outcome().basePriority());
        row.put("priority", change.outcome().priority());
        row.put("relaxed", change.outcome().relaxed().stream().map(Enum::name).sorted().toList());
        return row;
    }
}
