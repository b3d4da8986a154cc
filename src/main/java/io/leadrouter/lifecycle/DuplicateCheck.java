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
 * key value is locked (a transaction advisory lock) before the open leads are looked up, so a second intake of the same
 * e-mail waits for the first to commit and then finds its lead. Every lookup is served by a V13 index of open leads.
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
    private static final String LOCK = """
            SELECT count(cast(pg_advisory_xact_lock(h) AS text)), 0
            FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM jsonb_array_elements_text(cast(cast(:keys AS text) AS jsonb)) AS k
                  ORDER BY 1) AS sorted
            """;

    /** Per item, its most recent open duplicate; an item whose idempotency key is used is a replay, not a duplicate. */
    private static final String LOOKUP = """
            SELECT x.i, d.id
            FROM jsonb_to_recordset(cast(cast(:items AS text) AS jsonb)) AS x(i integer, idempotency_key text, team text, email text,
                   phone text, external_id text, a0 jsonb, a1 jsonb, a2 jsonb, a3 jsonb, a4 jsonb)
            CROSS JOIN LATERAL (SELECT l.id FROM lead l
                   WHERE l.team = x.team AND l.status <> 'CLOSED' AND l.created_at > now() - cast(cast(:window AS text) AS interval) AND (%s)
                   ORDER BY l.created_at DESC LIMIT 1) AS d
            WHERE NOT EXISTS (SELECT 1 FROM lead k WHERE k.idempotency_key = x.idempotency_key)
            """;

    private final ObjectMapper mapper;

    DuplicateCheck(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The duplicates among {@code items}, by position in the list, in the caller's transaction: the key values stay
     * locked until it ends, so the items that are no duplicates must be inserted in it.
     */
    Uni<Map<Integer, Duplicate>> find(List<LeadIntake.Accepted> items, List<String> teams, DuplicateRule rule) {
        List<Map<String, String>> values = new ArrayList<>(items.size());
        TreeSet<String> locks = new TreeSet<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int p = 0; p < items.size(); p++) {
            LeadRequest r = items.get(p).request();
            Map<String, String> keyed = values(rule, r.email(), r.phone(), r.externalId(), r.attributes());
            values.add(keyed);
            if (keyed.isEmpty()) {
                continue;
            }
            String team = teams.get(p);
            keyed.forEach((key, value) -> locks.add(team + "/" + key + ":" + value));
            Map<String, Object> row = new HashMap<>();
            row.put("i", p);
            row.put("idempotency_key", items.get(p).idempotencyKey());
            row.put("team", team);
            row.put("email", keyed.get("email"));
            row.put("phone", keyed.get("phone"));
            row.put("external_id", keyed.get("externalId"));
            for (int k = 0; k < rule.keys().size(); k++) {
                String key = rule.keys().get(k);
                if (key.startsWith("attributes.") && keyed.containsKey(key)) {
                    String name = key.substring("attributes.".length());
                    row.put("a" + k, Map.of(name, r.attributes().get(name)));
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Sql.rows(LOCK, Map.of("keys", json(List.copyOf(locks))))
                .chain(() -> Sql.rows(LOOKUP.formatted(matches(rule)),
                        Map.of("items", json(rows), "window", rule.window().toSeconds() + " seconds")))
                .chain(found -> {
                    Map<Integer, UUID> leadOf = new HashMap<>();
                    found.forEach(row -> leadOf.put(((Number) row[0]).intValue(), (UUID) row[1]));
                    Uni<List<Lead>> leads = leadOf.isEmpty() ? Uni.createFrom().item(List.of())
                            : Sql.readOnly("from Lead where id in ?1", Lead.class, List.copyOf(new TreeSet<>(leadOf.values())));
                    return leads.map(existing -> duplicates(items, teams, values, leadOf, existing, rule));
                });
    }

    private static Map<Integer, Duplicate> duplicates(List<LeadIntake.Accepted> items, List<String> teams,
            List<Map<String, String>> values,
            Map<Integer, UUID> leadOf, List<Lead> existing, DuplicateRule rule) {
        Map<UUID, Lead> byId = new HashMap<>();
        existing.forEach(lead -> byId.put(lead.id, lead));
        Map<Integer, Duplicate> duplicates = new HashMap<>();
        // the first item of the request with a key value is the one created; later ones duplicate it
        Map<String, Integer> firstWith = new HashMap<>();
        for (int p = 0; p < items.size(); p++) {
            Map<String, String> mine = values.get(p);
            Lead lead = byId.get(leadOf.get(p));
            if (lead != null) {
                duplicates.put(p, new Duplicate(lead, -1,
                        shared(mine, values(rule, lead.email, lead.phone, lead.externalId, lead.attributes))));
                continue;
            }
            Integer earlier = null;
            for (Map.Entry<String, String> e : mine.entrySet()) {
                Integer first = firstWith.get(teams.get(p) + "/" + e.getKey() + ":" + e.getValue());
                if (first != null && !sameKey(items.get(first), items.get(p))) {
                    earlier = first;
                    break;
                }
            }
            if (earlier != null) {
                duplicates.put(p, new Duplicate(null, earlier, shared(mine, values.get(earlier))));
                continue;
            }
            for (Map.Entry<String, String> e : mine.entrySet()) {
                firstWith.putIfAbsent(teams.get(p) + "/" + e.getKey() + ":" + e.getValue(), p);
            }
        }
        return duplicates;
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
                case "email" -> "lower(l.email) = x.email";
                case "phone" -> "regexp_replace(l.phone, '[^0-9+]', '', 'g') = x.phone";
                case "externalId" -> "l.external_id = x.external_id";
                default -> "(x.a" + k + " IS NOT NULL AND l.attributes @> x.a" + k + ")";
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
