package io.leadrouter.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.leadrouter.support.Invariants;

/**
 * After a run: the invariants in SQL over the whole database (one owner and one open offer per lead, loads and caps,
 * nothing OFFERED past its deadline plus the sweep), and the client's log of acknowledged intakes against the leads
 * stored (each exactly once, with the id it was acknowledged with).
 */
final class InvariantChecks {

    /** A broken invariant: what, how many rows, and a few of them. */
    record Violation(String what, int count, List<Map<String, Object>> sample) {
        @Override
        public String toString() {
            return what + ": " + count + " " + sample;
        }
    }

    private InvariantChecks() {
    }

    /**
     * @param keyPrefix the Idempotency-Key prefix of this run's leads
     * @param teamPrefix the prefix of this run's teams
     */
    static List<Violation> run(BenchDatabase database, Map<String, String> acknowledged, String keyPrefix, String teamPrefix) {
        List<Violation> violations = new ArrayList<>();
        for (Invariants.Check check : Invariants.CHECKS) {
            List<Map<String, Object>> rows = database.rows(check.sql());
            if (!rows.isEmpty()) {
                violations.add(new Violation(check.violation(), rows.size(), rows.subList(0, Math.min(5, rows.size()))));
            }
        }
        Map<String, String> stored = new HashMap<>();
        for (Map<String, Object> row : database.rows(
                "SELECT substring(idempotency_key FROM 5) AS key, id::text AS id FROM lead WHERE idempotency_key LIKE ?",
                "key:" + keyPrefix + "%")) {
            stored.put((String) row.get("key"), (String) row.get("id"));
        }
        List<Map<String, Object>> lost = new ArrayList<>();
        List<Map<String, Object>> otherId = new ArrayList<>();
        acknowledged.forEach((key, id) -> {
            String storedId = stored.get(key);
            if (storedId == null) {
                lost.add(Map.of("key", key, "id", id));
            } else if (!storedId.equals(id)) {
                otherId.add(Map.of("key", key, "acknowledged", id, "stored", storedId));
            }
        });
        add(violations, "acknowledged intakes with no lead stored", lost);
        add(violations, "acknowledged intakes stored under another id", otherId);
        // the unique idempotency key makes one lead per key; a lead of the run without its key would be a second copy
        add(violations, "leads of the run stored without their Idempotency-Key", database.rows(
                "SELECT id FROM lead WHERE team LIKE ? AND (idempotency_key IS NULL OR idempotency_key NOT LIKE ?)",
                teamPrefix + "%", "key:" + keyPrefix + "%"));
        return violations;
    }

    private static void add(List<Violation> violations, String what, List<Map<String, Object>> rows) {
        if (!rows.isEmpty()) {
            violations.add(new Violation(what, rows.size(), rows.subList(0, Math.min(5, rows.size()))));
        }
    }
}
