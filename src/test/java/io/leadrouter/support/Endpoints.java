package io.leadrouter.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every endpoint and socket of the service with the roles that may call it: the contract of the README's "Security"
 * section. {@code EndpointRolesTest} holds the resources to it, {@code AccessTest} calls each one with a key of each
 * role.
 */
public final class Endpoints {

    public static final String PUBLIC = "public";

    /** "VERB /path" (WS for a socket) to the roles it allows; an admin key may call whatever read and intake may. */
    public static final Map<String, Set<String>> ROLES = table(
            "POST /api/v1/leads", "intake",
            "POST /api/v1/leads/batch", "intake",
            "POST /api/v1/leads/import", "intake",
            "GET /api/v1/leads", "read",
            "GET /api/v1/leads/{id}", "read",
            "POST /api/v1/leads/{id}/close", "admin",
            "POST /api/v1/leads/{id}/assign", "admin",
            "POST /api/v1/leads/held/requeue", "admin",
            "POST /api/v1/leads/held/close", "admin",
            "GET /api/v1/leads/{id}/decisions", "read",
            "POST /api/v1/intake/salesforce", "intake",
            "GET /api/v1/intake/sources", "read",
            "GET /api/v1/intake/sources/{name}", "read",
            "PUT /api/v1/intake/sources/{name}", "admin",
            "DELETE /api/v1/intake/sources/{name}", "admin",
            "POST /api/v1/intake/sources/{name}", "intake",
            "GET /api/v1/queue", "read",
            "GET /api/v1/events", "read",
            "GET /api/v1/stats/fairness", "read",
            "GET /api/v1/stats/declines", "read",
            "GET /api/v1/routing/policy", "read",
            "PUT /api/v1/routing/policy", "admin",
            "GET /api/v1/routing/policy/shadow", "read",
            "PUT /api/v1/routing/policy/shadow", "admin",
            "DELETE /api/v1/routing/policy/shadow", "admin",
            "GET /api/v1/routing/policy/shadow/report", "read",
            "GET /api/v1/reps", "read",
            "GET /api/v1/reps/{repId}", "read",
            "PUT /api/v1/reps/{repId}", "admin",
            "PUT /api/v1/reps", "admin",
            "DELETE /api/v1/reps/{repId}", "admin",
            "POST /api/v1/reps/{repId}/tokens", "admin",
            "POST /api/v1/reps/{repId}/tokens/revoke", "admin",
            "POST /api/v1/reps/{repId}/pause", "admin",
            "POST /api/v1/reps/{repId}/resume", "admin",
            "GET /api/v1/webhooks", "read",
            "GET /api/v1/webhooks/{id}", "read",
            "GET /api/v1/webhooks/{id}/deliveries", "read",
            "POST /api/v1/webhooks", "admin",
            "DELETE /api/v1/webhooks/{id}", "admin",
            "POST /api/v1/webhooks/{id}/rotate-secret", "admin",
            "POST /api/v1/webhooks/{id}/replay", "admin",
            "GET /api/v1/connectors", "read",
            "GET /api/v1/connectors/{kind}", "read",
            "GET /api/v1/connectors/{kind}/deliveries", "read",
            "POST /api/v1/connectors/{kind}/replay", "admin",
            "GET /api/v1/keys", "admin",
            "POST /api/v1/keys", "admin",
            "DELETE /api/v1/keys/{id}", "admin",
            "POST /api/v1/console/sessions", "read",
            "GET /api/v1/console/sessions", "admin",
            "DELETE /api/v1/console/sessions/{id}", "read",
            "GET /manager", PUBLIC,
            "WS /ws/agent", "rep",
            "WS /ws/manager", "read");

    private Endpoints() {
    }

    private static Map<String, Set<String>> table(String... rows) {
        Map<String, Set<String>> table = new LinkedHashMap<>();
        for (int i = 0; i < rows.length; i += 2) {
            table.put(rows[i], Set.of(rows[i + 1].split(",")));
        }
        return table;
    }
}
