package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Problem;
import io.leadrouter.common.Sql;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.CrmRecord;
import io.leadrouter.lead.IntakeResult;
import io.leadrouter.policy.PolicyService;
import io.smallrye.mutiny.Uni;

/**
 * Records a CRM sends again whenever they change (Salesforce outbound messages), taken in through {@link LeadIntake}:
 * a record is one lead, keyed by its id ({@code ext:<id>}). A record sent again unchanged changes nothing; a changed
 * one updates its lead's fields, and what the policy derives from them, while the lead is still QUEUED (an offered,
 * assigned, held or closed lead is left as it is), and never with a version older than the one the lead holds.
 * Creations, updates and their events are one transaction.
 */
@ApplicationScoped
public class RecordIntake {

    public enum Outcome {
        CREATED,
        UPDATED,
        /** nothing new: the same fields again, an older version, a lead no longer queued, or a duplicate in the batch */
        UNCHANGED,
        REFUSED
    }

    /** What became of one record; {@code errors} say why it was refused. */
    public record Taken(Outcome outcome, List<Problem.FieldError> errors) {
    }

    /** The lead's columns an update can change, by the names the API shows them under; {@code base_priority} is the rules' priority. */
    private static final Map<String, String> FIELDS = fields("source", "source", "name", "name", "email", "email",
            "phone", "phone", "company", "company", "country", "country", "region", "region", "postal_code", "postalCode",
            "language", "language", "product", "product", "industry", "industry", "value", "value", "score", "score",
            "required_skills", "requiredSkills", "attributes", "attributes", "team", "team", "base_priority", "priority",
            "load_points", "loadPoints", "tiers", "tiers");

    /** Changes that can send the lead to another rep, or ahead in its queue: its team is drained again. */
    private static final Set<String> ROUTING = Set.of("team", "country", "region", "postalCode", "language", "value",
            "requiredSkills", "priority", "loadPoints", "tiers");

    private static final String RECORDSET = """
            jsonb_to_recordset(cast(cast(:rows AS text) AS jsonb)) AS x(idempotency_key text, request_hash text,
                record_modified_at timestamptz, source text, name text, email text, phone text, company text,
                country text, region text, postal_code text, language text, product text, industry text, value numeric,
                score integer, required_skills jsonb, attributes jsonb, team text, priority integer, load_points integer,
                tiers integer[], policy_version integer, email_domain text, company_key text)""";

    /**
     * The changed records' leads that are still queued and hold no newer version, locked in id order, then updated.
     * An escalated lead keeps the boost it was given, and every lead what it gained by waiting (aging).
     */
    private static final String UPDATE = """
            WITH x AS (SELECT * FROM %s),
            old AS (
                SELECT l.*, CASE WHEN l.escalated_at IS NULL THEN x.priority ELSE l.base_priority END AS next_base
                FROM lead l JOIN x ON x.idempotency_key = l.idempotency_key
                WHERE l.status = 'QUEUED' AND l.request_hash <> x.request_hash
                  AND (x.record_modified_at IS NULL OR l.record_modified_at IS NULL
                       OR l.record_modified_at <= x.record_modified_at)
                ORDER BY l.id
                FOR UPDATE OF l
            )
            UPDATE lead SET request_hash = x.request_hash,
                record_modified_at = coalesce(x.record_modified_at, old.record_modified_at),
                source = x.source, name = x.name, email = x.email, phone = x.phone, company = x.company,
                email_domain = x.email_domain, company_key = x.company_key,
                country = x.country, region = x.region, postal_code = x.postal_code, language = x.language,
                product = x.product, industry = x.industry, value = x.value, score = x.score,
                required_skills = coalesce(x.required_skills, '{}'), attributes = coalesce(x.attributes, '{}'),
                team = x.team, load_points = x.load_points, tiers = x.tiers, policy_version = x.policy_version,
                base_priority = old.next_base, priority = least(100, old.next_base + old.priority - old.base_priority),
                updated_at = now()
            FROM old JOIN x ON x.idempotency_key = old.idempotency_key
            WHERE lead.id = old.id
            RETURNING lead.id, lead.idempotency_key, lead.external_id, lead.team, old.team, lead.policy_version,
                lead.priority, concat_ws(',', %s)
            """.formatted(RECORDSET, FIELDS.entrySet().stream()
            .map(f -> "CASE WHEN old.%1$s IS DISTINCT FROM lead.%1$s THEN '%2$s' END".formatted(f.getKey(), f.getValue()))
            .collect(Collectors.joining(", ")));

    /**
     * The version of leads sent again with the same fields (or just created) moves on, so that an older version
     * delivered after it is recognised as older.
     */
    private static final String RECORD_VERSIONS = """
            UPDATE lead SET record_modified_at = x.record_modified_at
            FROM %s
            WHERE lead.idempotency_key = x.idempotency_key AND lead.request_hash = x.request_hash
              AND lead.status = 'QUEUED' AND x.record_modified_at > coalesce(lead.record_modified_at, '-infinity')
            """.formatted(RECORDSET);

    private final LeadIntake intake;
    private final PolicyService policies;
    private final EventLog events;
    private final ObjectMapper mapper;

    public RecordIntake(LeadIntake intake, PolicyService policies, EventLog events, ObjectMapper mapper) {
        this.intake = intake;
        this.policies = policies;
        this.events = events;
        this.mapper = mapper;
    }

    /**
     * Takes the records in, each on its own: a record with invalid fields is refused and the others are still taken
     * in. Several versions of one record in the batch count as its newest (the later one when they tie). Answered in
     * the order sent.
     */
    public Uni<List<Taken>> take(List<CrmRecord> records) {
        Taken[] taken = new Taken[records.size()];
        Map<String, Integer> newest = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            CrmRecord record = records.get(i);
            List<Problem.FieldError> errors = new ArrayList<>(intake.validate(record.lead()));
            String key = LeadIntake.keyOf(null, record.lead());
            if (key == null) {
                errors.add(new Problem.FieldError("externalId", "is required: it names the CRM record"));
            }
            if (!errors.isEmpty()) {
                taken[i] = new Taken(Outcome.REFUSED, errors);
                continue;
            }
            taken[i] = new Taken(Outcome.UNCHANGED, List.of());
            Integer kept = newest.get(key);
            if (kept == null || !olderThan(record, records.get(kept))) {
                newest.put(key, i);
            }
        }
        if (newest.isEmpty()) {
            return Uni.createFrom().item(List.of(taken));
        }
        List<LeadIntake.Accepted> accepted = newest.entrySet().stream()
                .map(e -> new LeadIntake.Accepted(e.getValue(), records.get(e.getValue()).lead(), e.getKey())).toList();
        return events.inTransaction(batch -> policies.current().chain(policy -> {
            List<Map<String, Object>> rows = new ArrayList<>(accepted.size());
            for (LeadIntake.Accepted item : accepted) {
                Map<String, Object> row = intake.rowOf(item, policy);
                Instant modifiedAt = records.get(item.index()).modifiedAt();
                row.put("record_modified_at", modifiedAt == null ? null : modifiedAt.toString());
                rows.add(row);
            }
            return intake.storeIn(accepted, rows, batch).chain(results -> {
                List<Map<String, Object>> changed = new ArrayList<>();
                for (int k = 0; k < results.size(); k++) {
                    IntakeResult result = results.get(k);
                    if (result.outcome() == IntakeResult.Outcome.CREATED) {
                        taken[accepted.get(k).index()] = new Taken(Outcome.CREATED, List.of());
                    } else if (result.outcome() == IntakeResult.Outcome.ERROR) {
                        // the record's lead holds other fields (IDEMPOTENCY_KEY_REUSED): the record changed
                        changed.add(rows.get(k));
                    }
                }
                return update(changed, batch).call(() -> recordVersions(rows)).map(updated -> {
                    for (LeadIntake.Accepted item : accepted) {
                        if (updated.contains(item.idempotencyKey())) {
                            taken[item.index()] = new Taken(Outcome.UPDATED, List.of());
                        }
                    }
                    return List.of(taken);
                });
            });
        }));
    }

    /** Updates the leads of changed records that may be updated, each with its {@code lead.updated}; returns their keys. */
    private Uni<Set<String>> update(List<Map<String, Object>> changed, EventBatch batch) {
        if (changed.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Sql.rows(UPDATE, Map.of("rows", json(changed))).map(rows -> {
            Set<String> keys = new HashSet<>();
            for (Object[] row : rows) {
                keys.add((String) row[1]);
                String team = (String) row[3];
                List<String> fields = Arrays.stream(((String) row[7]).split(",")).filter(f -> !f.isEmpty()).toList();
                batch.lead(EventType.LEAD_UPDATED, (UUID) row[0], team, null, ((Number) row[5]).intValue(),
                        data("externalId", row[2], "changed", fields, "rerouted", fields.stream().anyMatch(ROUTING::contains),
                                "previousTeam", team.equals(row[4]) ? null : row[4], "priority", row[6]),
                        null);
            }
            return keys;
        });
    }

    private Uni<Integer> recordVersions(List<Map<String, Object>> rows) {
        List<Map<String, Object>> versioned = rows.stream().filter(row -> row.get("record_modified_at") != null).toList();
        return versioned.isEmpty() ? Uni.createFrom().item(0) : Sql.update(RECORD_VERSIONS, Map.of("rows", json(versioned)));
    }

    private static boolean olderThan(CrmRecord record, CrmRecord other) {
        return record.modifiedAt() != null && other.modifiedAt() != null && record.modifiedAt().isBefore(other.modifiedAt());
    }

    private static Map<String, String> fields(String... columnsAndNames) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndNames.length; i += 2) {
            fields.put(columnsAndNames[i], columnsAndNames[i + 1]);
        }
        return fields;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialize records", e);
        }
    }
}
