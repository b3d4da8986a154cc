package io.leadrouter.lifecycle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadRequest;
import io.leadrouter.policy.DuplicateRule;
import io.smallrye.mutiny.Uni;

/**
 * Finds the leads sent in that duplicate an open lead of their team, for {@link LeadIntake}. Racing duplicates create one lead: each
 * key value is locked (a transaction advisory lock, {@link #lock}) in one statement, and the open leads are looked up in the
 * next, the insert's own ({@link Keys#ctes}): a statement sees what committed before it began, so a second intake of the
 * same e-mail waits for the first to commit and then finds its lead. Every lookup is served by a V13 index of open leads.
 */
@ApplicationScoped
class DuplicateCheck {

    /**
     * An item sent in that is not to be created: it duplicates {@code existing}, an open lead, or (when that is null)
     * the item at position {@code earlier} of the same request; {@code by} are the keys they share.
     */
    record Duplicate(Lead existing, int earlier, List<String> by) {
    }

    /** Locks in the order of their numbers, so two intakes that share several keys cannot deadlock. */
    private static final Sql.Direct LOCK = Sql.Direct.of("""
            SELECT count(cast(pg_advisory_xact_lock(h) AS text)), 0
            FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM jsonb_array_elements_text(cast(cast(:keys AS text) AS jsonb)) AS k
                  ORDER BY 1) AS sorted
            """);

    /** The columns {@link Keys#addTo} gives each item: its position, its locked key values, and each as its index holds it. */
    static final String COLUMNS = """
            , i integer, dup_keys text[], dup_email text, dup_phone text, dup_external_id text,
                   dup_a0 jsonb, dup_a1 jsonb, dup_a2 jsonb, dup_a3 jsonb, dup_a4 jsonb""";

    /**
     * {@code d}: per item, its most recent open duplicate (an item whose idempotency key is used is a replay, not a
     * duplicate); {@code f}: per key value, the first item that has it and duplicates no open lead, the one created.
     */
    private static final String CTES = """
            , d AS (
                SELECT x.i, dup.id FROM x
                CROSS JOIN LATERAL (SELECT l.id FROM lead l
                       WHERE l.team = x.team AND l.status <> 'CLOSED' AND l.created_at > now() - cast(cast(:window AS text) AS interval) AND (%s)
                       ORDER BY l.created_at DESC LIMIT 1) AS dup
                WHERE cardinality(x.dup_keys) > 0 AND NOT EXISTS (SELECT 1 FROM lead k WHERE k.idempotency_key = x.idempotency_key)
            ), f AS (
                SELECT v, min(x.i) AS i FROM x, unnest(x.dup_keys) AS v WHERE x.i NOT IN (SELECT i FROM d) GROUP BY v
            )""";

    /** Inserted are the items that duplicate no open lead and share no key value with an earlier item created (not a replay of it). */
    static final String CONDITION = """
            WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.i = x.i)
              AND NOT EXISTS (SELECT 1 FROM unnest(x.dup_keys) AS v JOIN f USING (v) JOIN x AS q ON q.i = f.i
                              WHERE f.i < x.i AND (q.idempotency_key = x.idempotency_key) IS NOT TRUE)""";

    /** The open leads found, as rows of the answer: the item's position and the lead it duplicates. */
    static final String ANSWER = """
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, d.i, d.id FROM d""";

    /**
     * The key values of a request's items, locked in this transaction: until it ends, so the items that are no duplicates
     * must be inserted in it, by the statement {@link #ctes} and {@link #CONDITION} are part of.
     */
    record Keys(List<LeadIntake.Accepted> items, List<String> teams, List<Map<String, String>> values, DuplicateRule rule) {

        /** The lookup of open duplicates, for the rule's keys, with its parameter. */
        String ctes() {
            return CTES.formatted(matches(rule));
        }

        Map<String, Object> params() {
            return Map.of("window", rule.window().toSeconds() + " seconds");
        }

        /** Gives each row of the insert the {@link #COLUMNS} of its item. */
        void addTo(List<Map<String, Object>> rows) {
            for (int p = 0; p < items.size(); p++) {
                Map<String, Object> row = rows.get(p);
                Map<String, String> keyed = values.get(p);
                String team = teams.get(p);
                row.put("i", p);
                row.put("dup_keys", keyed.entrySet().stream().map(e -> keyValue(team, e)).toList());
                row.put("dup_email", keyed.get("email"));
                row.put("dup_phone", keyed.get("phone"));
                row.put("dup_external_id", keyed.get("externalId"));
                for (int k = 0; k < rule.keys().size(); k++) {
                    String key = rule.keys().get(k);
                    if (key.startsWith("attributes.") && keyed.containsKey(key)) {
                        String name = key.substring("attributes.".length());
                        row.put("dup_a" + k, Map.of(name, items.get(p).request().attributes().get(name)));
                    }
                }
            }
        }
    }

    private final ObjectMapper mapper;

    DuplicateCheck(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The key values of {@code items} (each of its team, by position in the list), to {@link #lock}; null when no item
     * has a value of the rule's keys, so none can be a duplicate.
     */
    Keys keysOf(List<LeadIntake.Accepted> items, List<String> teams, DuplicateRule rule) {
        List<Map<String, String>> values = new ArrayList<>(items.size());
        boolean any = false;
        for (LeadIntake.Accepted item : items) {
            LeadRequest r = item.request();
            Map<String, String> keyed = values(rule, r.email(), r.phone(), r.externalId(), r.attributes());
            values.add(keyed);
            any |= !keyed.isEmpty();
        }
        return any ? new Keys(items, teams, values, rule) : null;
    }

    /** Locks the key values in the caller's transaction, in one statement. */
    Uni<Void> lock(Keys keys) {
        TreeSet<String> locks = new TreeSet<>();
        for (int p = 0; p < keys.items().size(); p++) {
            String team = keys.teams().get(p);
            keys.values().get(p).entrySet().forEach(e -> locks.add(keyValue(team, e)));
        }
        return Sql.direct(LOCK, Map.of("keys", json(List.copyOf(locks)))).replaceWithVoid();
    }

    /**
     * The duplicates among the items, by position, from the open leads the insert found ({@code leadOf}, by position):
     * exactly the items {@link #CONDITION} left out that are no replays.
     */
    Uni<Map<Integer, Duplicate>> find(Keys keys, Map<Integer, UUID> leadOf) {
        Uni<List<Lead>> leads = leadOf.isEmpty() ? Uni.createFrom().item(List.of())
                : Sql.readOnly("from Lead where id in ?1", Lead.class, List.copyOf(new TreeSet<>(leadOf.values())));
        return leads.map(existing -> duplicates(keys, leadOf, existing));
    }

    private static Map<Integer, Duplicate> duplicates(Keys keys, Map<Integer, UUID> leadOf, List<Lead> existing) {
        List<LeadIntake.Accepted> items = keys.items();
        List<Map<String, String>> values = keys.values();
        Map<UUID, Lead> byId = new HashMap<>();
        existing.forEach(lead -> byId.put(lead.id, lead));
        // per key value, the first item with it that duplicates no open lead: the one created, as the insert's f
        Map<String, Integer> firstWith = new HashMap<>();
        for (int p = 0; p < items.size(); p++) {
            if (!leadOf.containsKey(p)) {
                for (Map.Entry<String, String> e : values.get(p).entrySet()) {
                    firstWith.putIfAbsent(keyValue(keys.teams().get(p), e), p);
                }
            }
        }
        Map<Integer, Duplicate> duplicates = new HashMap<>();
        for (int p = 0; p < items.size(); p++) {
            Map<String, String> mine = values.get(p);
            Lead lead = byId.get(leadOf.get(p));
            if (lead != null) {
                duplicates.put(p, new Duplicate(lead, -1,
                        shared(mine, values(keys.rule(), lead.email, lead.phone, lead.externalId, lead.attributes))));
                continue;
            }
            for (Map.Entry<String, String> e : mine.entrySet()) {
                Integer first = firstWith.get(keyValue(keys.teams().get(p), e));
                if (first != null && first < p && !sameKey(items.get(first), items.get(p))) {
                    duplicates.put(p, new Duplicate(null, first, shared(mine, values.get(first))));
                    break;
                }
            }
        }
        return duplicates;
    }

    /** A key value of a team, as it is locked and as the insert's {@code f} groups the items by. */
    private static String keyValue(String team, Map.Entry<String, String> keyed) {
        return team + "/" + keyed.getKey() + ":" + keyed.getValue();
    }

    /** Two items of one request with one idempotency key are a replay of each other, which the insert answers. */
    private static boolean sameKey(LeadIntake.Accepted a, LeadIntake.Accepted b) {
        return a.idempotencyKey() != null && a.idempotencyKey().equals(b.idempotencyKey());
    }

    private static List<String> shared(Map<String, String> a, Map<String, String> b) {
        return a.entrySet().stream().filter(e -> e.getValue().equals(b.get(e.getKey()))).map(Map.Entry::getKey).toList();
    }

    /** A lead's values of the rule's keys, normalised as the V13 indexes hold them; keys the lead has no value of are left out. */
    static Map<String, String> values(DuplicateRule rule, String email, String phone, String externalId,
            Map<String, Object> attributes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : rule.keys()) {
            String value = switch (key) {
                case "email" -> email == null || email.isBlank() ? null : email.toLowerCase(Locale.ROOT);
                case "phone" -> phone == null ? null : blankToNull(phone.replaceAll("[^0-9+]", ""));
                case "externalId" -> externalId == null || externalId.isBlank() ? null : externalId;
                default -> {
                    Object v = attributes == null ? null : attributes.get(key.substring("attributes.".length()));
                    yield v instanceof String || v instanceof Number || v instanceof Boolean ? blankToNull(v.toString()) : null;
                }
            };
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s;
    }

    /** The OR of the rule's keys, each as its index holds it. */
    private static String matches(DuplicateRule rule) {
        List<String> any = new ArrayList<>();
        for (int k = 0; k < rule.keys().size(); k++) {
            any.add(switch (rule.keys().get(k)) {
                case "email" -> "lower(l.email) = x.dup_email";
                case "phone" -> "regexp_replace(l.phone, '[^0-9+]', '', 'g') = x.dup_phone";
                case "externalId" -> "l.external_id = x.dup_external_id";
                default -> "(x.dup_a" + k + " IS NOT NULL AND l.attributes @> x.dup_a" + k + ")";
            });
        }
        return String.join(" OR ", any);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialize duplicate keys", e);
        }
    }
}
