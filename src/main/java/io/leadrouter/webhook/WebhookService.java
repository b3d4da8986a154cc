package io.leadrouter.webhook;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventCursor;
import io.leadrouter.event.EventType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Webhook endpoints: registered, listed, rotated, replayed and removed; what was delivered to each. The CRM connectors'
 * rows live beside them, one per kind, registered from the configuration and shown, replayed and audited the same way.
 */
@ApplicationScoped
public class WebhookService {

    /** An endpoint as the API shows it; the secret only when it was just made. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(UUID id, String kind, String url, List<String> types, String description, boolean enabled, String disabledReason,
            String cursor, int failures, Instant nextAttemptAt, Instant createdAt, String secret) {
    }

    /** One attempt at delivering one event. */
    public record Delivery(long id, long eventId, String eventType, int attempt, String outcome, Integer httpStatus,
            int latencyMs, String error, String response, String target, Instant attemptedAt) {
    }

    /** The kind of the rows that are webhook endpoints; the connectors' rows are of their own kind. */
    static final String WEBHOOK = "webhook";

    /*
     * A new endpoint starts at the head of the log: events committed before it existed are not its business, events of
     * transactions still running are (their tx is at or above the snapshot's xmin).
     */
    private static final String HEAD = """
            cast(cast(cast(cast(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint) - 1 AS text) AS xid8),
            (SELECT coalesce(max(id), 0) FROM lifecycle_event)""";

    private static final String CREATE = """
            INSERT INTO webhook_endpoint (id, url, description, types, secret, cursor_tx, cursor_id)
            VALUES (:id, :url, :description, string_to_array(:types, ','), :secret, %s)
            RETURNING %s
            """.formatted(HEAD, "%s");

    /** A connector keeps its cursor across restarts and configuration changes; only where and on what it writes follow. */
    private static final String REGISTER = """
            INSERT INTO webhook_endpoint (id, kind, url, description, types, cursor_tx, cursor_id)
            VALUES (:id, :kind, :url, :description, string_to_array(:types, ','), %s)
            ON CONFLICT (kind) WHERE kind <> 'webhook' DO UPDATE SET url = excluded.url, types = excluded.types
            """.formatted(HEAD);

    static final String COLUMNS = """
            id, kind, url, array_to_string(types, ','), description, enabled, disabled_reason, cast(cursor_tx AS text),
            cursor_id, failures, next_attempt_at, created_at""";

    private static final String DELIVERIES = """
            SELECT d.id, d.event_id, d.event_type, d.attempt, d.outcome, d.http_status, d.latency_ms, d.error, d.response,
                   d.target, d.attempted_at
            FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id
            WHERE %s ORDER BY d.id DESC LIMIT :limit
            """;

    /** Which rows a call means: a webhook by id, or a connector by kind. */
    private static final String WEBHOOK_BY_ID = "w.id = :key AND w.kind = 'webhook'";
    private static final String CONNECTOR_BY_KIND = "w.kind = :key AND w.kind <> 'webhook'";

    private final TargetCheck targets;

    public WebhookService(TargetCheck targets) {
        this.targets = targets;
    }

    public Uni<Endpoint> create(String url, List<String> types, String description) {
        String checkedTypes = String.join(",", validTypes(types));
        return targets.check(url).chain(uri -> Panache.withTransaction(() -> {
            String secret = WebhookSignature.newSecret();
            return Sql.rows(CREATE.formatted(COLUMNS), Map.of("id", UUID.randomUUID(), "url", uri.toString(),
                    "description", description == null ? "" : description, "types", checkedTypes, "secret", secret))
                    .map(rows -> endpoint(rows.get(0), secret));
        }));
    }

    /** The row of an enabled connector, made the first time it is enabled. */
    Uni<Void> register(Connector connector) {
        return Panache.withTransaction(() -> Sql.update(REGISTER, Map.of("id", UUID.randomUUID(), "kind", connector.kind(),
                "url", connector.target(), "description", connector.kind() + " owner write-back",
                "types", String.join(",", connector.events())))).replaceWithVoid();
    }

    public Uni<List<Endpoint>> list() {
        return endpoints("w.kind = 'webhook'", Map.of());
    }

    public Uni<Endpoint> get(UUID id) {
        return one(WEBHOOK_BY_ID, id, "Webhook");
    }

    /** The connectors this deployment has enabled at some time, whether or not they are enabled now. */
    public Uni<List<Endpoint>> connectors() {
        return endpoints("w.kind <> 'webhook'", Map.of());
    }

    public Uni<Endpoint> connector(String kind) {
        return one(CONNECTOR_BY_KIND, kind, "Connector");
    }

    private Uni<List<Endpoint>> endpoints(String where, Map<String, Object> params) {
        return Panache.withSession(() -> Sql.rows("SELECT " + COLUMNS + " FROM webhook_endpoint w WHERE " + where
                + " ORDER BY created_at, id", params).map(rows -> rows.stream().map(r -> endpoint(r, null)).toList()));
    }

    private Uni<Endpoint> one(String where, Object key, String what) {
        return endpoints(where, Map.of("key", key)).map(found -> {
            if (found.isEmpty()) {
                throw DomainException.notFound(what, key);
            }
            return found.get(0);
        });
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> Sql.update("DELETE FROM webhook_endpoint w WHERE " + WEBHOOK_BY_ID, Map.of("key", id)))
                .invoke(deleted -> {
                    if (deleted == 0) {
                        throw DomainException.notFound("Webhook", id);
                    }
                }).replaceWithVoid();
    }

    /** A new secret; the old one keeps signing beside it for 24 hours, as Standard Webhooks allows several signatures. */
    public Uni<Endpoint> rotateSecret(UUID id) {
        String secret = WebhookSignature.newSecret();
        return Panache.withTransaction(() -> Sql.rows("""
                UPDATE webhook_endpoint w SET previous_secret = secret, previous_until = now() + interval '24 hours',
                    secret = :secret
                WHERE %s RETURNING %s""".formatted(WEBHOOK_BY_ID, COLUMNS), Map.of("key", id, "secret", secret))
                .map(rows -> endpoint(found(rows, "Webhook", id), secret)));
    }

    /** Delivers again every event after the cursor, in order; a disabled endpoint is enabled again for it. */
    public Uni<Endpoint> replay(UUID id, EventCursor after) {
        return replay(WEBHOOK_BY_ID, id, "Webhook", after);
    }

    /** Writes back again from the cursor on; a connector disabled after its last retry is enabled again. */
    public Uni<Endpoint> replayConnector(String kind, EventCursor after) {
        return replay(CONNECTOR_BY_KIND, kind, "Connector", after);
    }

    private Uni<Endpoint> replay(String where, Object key, String what, EventCursor after) {
        return Panache.withTransaction(() -> Sql.rows("""
                UPDATE webhook_endpoint w SET cursor_tx = cast(cast(:tx AS text) AS xid8), cursor_id = :cursor, failures = 0,
                    next_attempt_at = now(), enabled = true, disabled_reason = NULL
                WHERE %s RETURNING %s""".formatted(where, COLUMNS),
                Map.of("key", key, "tx", Long.toString(after.tx()), "cursor", after.id()))
                .map(rows -> endpoint(found(rows, what, key), null)));
    }

    /** The newest attempts first. */
    public Uni<List<Delivery>> deliveries(UUID id, int limit) {
        return get(id).chain(endpoint -> deliveries(WEBHOOK_BY_ID, id, limit));
    }

    /** The connector's newest attempts first. */
    public Uni<List<Delivery>> connectorDeliveries(String kind, int limit) {
        return connector(kind).chain(endpoint -> deliveries(CONNECTOR_BY_KIND, kind, limit));
    }

    private Uni<List<Delivery>> deliveries(String where, Object key, int limit) {
        return Panache.withSession(() -> Sql.rows(DELIVERIES.formatted(where), Map.of("key", key, "limit", limit))
                .map(rows -> rows.stream().map(r -> new Delivery(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                        (String) r[2], ((Number) r[3]).intValue(), (String) r[4], r[5] == null ? null : ((Number) r[5]).intValue(),
                        ((Number) r[6]).intValue(), (String) r[7], (String) r[8], (String) r[9], Timestamps.of(r[10]))).toList()));
    }

    /** {@code ["*"]} or event type names, each once. */
    static Set<String> validTypes(List<String> types) {
        if (types == null || types.isEmpty()) {
            throw DomainException.invalid(List.of(new Problem.FieldError("types", "must name event types, or [\"*\"] for all")));
        }
        Set<String> valid = new LinkedHashSet<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (type == null || !type.equals("*") && EventType.ofWireName(type).isEmpty()) {
                throw DomainException.invalid(List.of(new Problem.FieldError("types[" + i + "]", "must be \"*\" or one of "
                        + Arrays.stream(EventType.values()).map(EventType::wireName).toList())));
            }
            valid.add(type);
        }
        if (valid.contains("*") && valid.size() > 1) {
            throw DomainException.invalid(List.of(new Problem.FieldError("types", "\"*\" stands alone")));
        }
        return valid;
    }

    private static Object[] found(List<Object[]> rows, String what, Object key) {
        if (rows.isEmpty()) {
            throw DomainException.notFound(what, key);
        }
        return rows.get(0);
    }

    static Endpoint endpoint(Object[] r, String secret) {
        return new Endpoint((UUID) r[0], (String) r[1], (String) r[2], List.of(((String) r[3]).split(",")), (String) r[4],
                (Boolean) r[5], (String) r[6], new EventCursor(Long.parseLong((String) r[7]), ((Number) r[8]).longValue()).toString(),
                ((Number) r[9]).intValue(), Timestamps.of(r[10]), Timestamps.of(r[11]), secret);
    }
}
