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

/** Webhook endpoints: registered, listed, rotated, replayed and removed; what was delivered to each. */
@ApplicationScoped
public class WebhookService {

    /** An endpoint as the API shows it; the secret only when it was just made. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(UUID id, String url, List<String> types, String description, boolean enabled, String disabledReason,
            String cursor, int failures, Instant nextAttemptAt, Instant createdAt, String secret) {
    }

    /** One attempt at delivering one event. */
    public record Delivery(long id, long eventId, String eventType, int attempt, String outcome, Integer httpStatus,
            int latencyMs, String error, String response, Instant attemptedAt) {
    }

    /*
     * A new endpoint starts at the head of the log: events committed before it existed are not its business, events of
     * transactions still running are (their tx is at or above the snapshot's xmin).
     */
    private static final String CREATE = """
            INSERT INTO webhook_endpoint (id, url, description, types, secret, cursor_tx, cursor_id)
            VALUES (:id, :url, :description, string_to_array(:types, ','), :secret,
                    cast(cast(cast(cast(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint) - 1 AS text) AS xid8),
                    (SELECT coalesce(max(id), 0) FROM lifecycle_event))
            RETURNING %s
            """;

    static final String COLUMNS = """
            id, url, array_to_string(types, ','), description, enabled, disabled_reason, cast(cursor_tx AS text), cursor_id,
            failures, next_attempt_at, created_at""";

    private static final String DELIVERIES = """
            SELECT id, event_id, event_type, attempt, outcome, http_status, latency_ms, error, response, attempted_at
            FROM webhook_delivery WHERE endpoint_id = :id ORDER BY id DESC LIMIT :limit
            """;

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

    public Uni<List<Endpoint>> list() {
        return Panache.withSession(() -> Sql.rows("SELECT " + COLUMNS + " FROM webhook_endpoint ORDER BY created_at, id", Map.of())
                .map(rows -> rows.stream().map(r -> endpoint(r, null)).toList()));
    }

    public Uni<Endpoint> get(UUID id) {
        return Panache.withSession(() -> Sql.rows("SELECT " + COLUMNS + " FROM webhook_endpoint WHERE id = :id", Map.of("id", id))
                .map(rows -> endpoint(found(rows, id), null)));
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> Sql.update("DELETE FROM webhook_endpoint WHERE id = :id", Map.of("id", id)))
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
                UPDATE webhook_endpoint SET previous_secret = secret, previous_until = now() + interval '24 hours', secret = :secret
                WHERE id = :id RETURNING %s""".formatted(COLUMNS), Map.of("id", id, "secret", secret))
                .map(rows -> endpoint(found(rows, id), secret)));
    }

    /** Delivers again every event after the cursor, in order; a disabled endpoint is enabled again for it. */
    public Uni<Endpoint> replay(UUID id, EventCursor after) {
        return Panache.withTransaction(() -> Sql.rows("""
                UPDATE webhook_endpoint SET cursor_tx = cast(cast(:tx AS text) AS xid8), cursor_id = :cursor, failures = 0,
                    next_attempt_at = now(), enabled = true, disabled_reason = NULL
                WHERE id = :id RETURNING %s""".formatted(COLUMNS),
                Map.of("id", id, "tx", Long.toString(after.tx()), "cursor", after.id()))
                .map(rows -> endpoint(found(rows, id), null)));
    }

    /** The newest attempts first. */
    public Uni<List<Delivery>> deliveries(UUID id, int limit) {
        return get(id).chain(endpoint -> Panache.withSession(() -> Sql.rows(DELIVERIES, Map.of("id", id, "limit", limit))
                .map(rows -> rows.stream().map(r -> new Delivery(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                        (String) r[2], ((Number) r[3]).intValue(), (String) r[4], r[5] == null ? null : ((Number) r[5]).intValue(),
                        ((Number) r[6]).intValue(), (String) r[7], (String) r[8], Timestamps.of(r[9]))).toList())));
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

    private static Object[] found(List<Object[]> rows, UUID id) {
        if (rows.isEmpty()) {
            throw DomainException.notFound("Webhook", id);
        }
        return rows.get(0);
    }

    static Endpoint endpoint(Object[] r, String secret) {
        return new Endpoint((UUID) r[0], (String) r[1], List.of(((String) r[2]).split(",")), (String) r[3], (Boolean) r[4],
                (String) r[5], new EventCursor(Long.parseLong((String) r[6]), ((Number) r[7]).longValue()).toString(),
                ((Number) r[8]).intValue(), Timestamps.of(r[9]), Timestamps.of(r[10]), secret);
    }
}
