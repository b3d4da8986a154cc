package io.leadrouter.webhook;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.BoundedBody;
import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.common.Sql;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventCursor;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.event.LifecycleEvent;
import io.leadrouter.replica.ReplicaRegistry;
import io.leadrouter.webhook.DeliveryAttempt.Outcome;
import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Delivers the event log to webhook endpoints, at least once and in log order per endpoint. Every replica looks for
 * due endpoints; one takes each under a lease in PostgreSQL and works from the endpoint's stored cursor, so a replica
 * killed mid-delivery loses nothing: when its lease runs out another resumes from the cursor (the event in flight is
 * sent again, with the same {@code webhook-id}). A failing event holds back the later ones until it is delivered or
 * the retry schedule is spent, when the endpoint is disabled and a {@code webhook.disabled} event tells managers.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** Endpoints one replica takes per poll. */
    static final int CLAIM = 20;
    /** Events read per page of the log. */
    static final int PAGE = 100;
    /** What is kept of a receiver's answer. */
    static final int RESPONSE_KEPT = 1024;

    private static final String CLAIM_DUE = """
            UPDATE webhook_endpoint w SET lease_owner = :me, lease_until = now() + make_interval(secs => :lease)
            FROM (SELECT id FROM webhook_endpoint
                  WHERE enabled AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                    AND kind = ANY (string_to_array(:kinds, ','))
                  ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED) due
            WHERE w.id = due.id
            RETURNING w.id, w.kind, w.url, array_to_string(w.types, ','), w.secret,
                      CASE WHEN w.previous_until > now() THEN w.previous_secret END, cast(w.cursor_tx AS text), w.cursor_id,
                      w.failures
            """;

    /** Progress, fenced by the lease: a replica that lost it changes nothing. */
    private static final String ADVANCE = """
            UPDATE webhook_endpoint SET cursor_tx = cast(cast(:tx AS text) AS xid8), cursor_id = :cursor, failures = :failures,
                next_attempt_at = now() + make_interval(secs => :wait)
            WHERE id = :id AND lease_owner = :me AND lease_until > now()
            """;

    private static final String RECORD = """
            INSERT INTO webhook_delivery (endpoint_id, event_id, event_type, attempt, outcome, http_status, latency_ms, error,
                                          response, target)
            VALUES (:endpoint, :event, :type, :attempt, :outcome, :status, :latency, :error, :response, :target)
            """;

    private static final String DISABLE = """
            UPDATE webhook_endpoint SET enabled = false, disabled_reason = :reason, lease_owner = NULL, lease_until = NULL
            WHERE id = :id AND lease_owner = :me
            RETURNING url
            """;

    private static final String RELEASE = """
            UPDATE webhook_endpoint SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :me
            """;

    private record Claimed(UUID id, String kind, URI url, List<String> types, List<String> secrets, EventCursor cursor,
            int failures) {

        /** The endpoint further down the log, with no failure pending. */
        Claimed at(EventCursor next) {
            return new Claimed(id, kind, url, types, secrets, next, 0);
        }

        boolean wants(LifecycleEvent event) {
            return event.type() != EventType.WEBHOOK_DISABLED && (types.contains("*") || types.contains(event.type().wireName()));
        }
    }

    private final EventLog log;
    private final TargetCheck targets;
    private final LeadRouterConfig config;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final RetrySchedule schedule;
    private final WebhookService webhooks;
    /** This replica, the holder of the leases it takes: joinable with the {@code replica} table. */
    private final UUID me;
    private final HttpClient http;
    /** The connectors this deployment enabled, by kind. */
    private final Map<String, Connector> connectors;
    /** The kinds of row this replica delivers: webhooks and its enabled connectors. */
    private final String kinds;

    public WebhookDispatcher(EventLog log, TargetCheck targets, LeadRouterConfig config, ObjectMapper mapper, Vertx vertx,
            ReplicaRegistry replica, WebhookService webhooks, @All List<Connector> connectors) {
        this.webhooks = webhooks;
        this.me = replica.id();
        this.connectors = connectors.stream().filter(Connector::enabled)
                .collect(Collectors.toMap(Connector::kind, connector -> connector));
        this.kinds = String.join(",", Stream.concat(Stream.of(WebhookService.WEBHOOK), this.connectors.keySet().stream()).toList());
        this.log = log;
        this.targets = targets;
        this.config = config;
        this.mapper = mapper;
        this.vertx = vertx;
        this.schedule = new RetrySchedule(config.webhooks().retrySchedule());
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.webhooks().timeout().toMillis())
                .setMaxPoolSize(CLAIM).setKeepAlive(true));
    }

    /** Each enabled connector gets its row (from the head of the log the first time), with the events it now acts on. */
    void registerConnectors(@Observes StartupEvent start) {
        connectors.values().forEach(connector -> {
            SafeContexts.run(vertx, () -> webhooks.register(connector)).await().indefinitely();
            LOG.infof("CRM connector %s writes to %s on %s", connector.kind(), connector.target(), connector.events());
        });
    }

    @Scheduled(every = "${leadrouter.webhooks.poll-interval}", delayed = "${leadrouter.webhooks.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return Jobs.logged(SafeContexts.run(vertx, this::claim).chain(claimed -> {
            List<Uni<Void>> each = claimed.stream().map(this::work).toList();
            return each.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(each).andFailFast().replaceWithVoid();
        }), LOG, "Webhook delivery");
    }

    private Uni<List<Claimed>> claim() {
        return Panache.withTransaction(() -> Sql.rows(CLAIM_DUE, Map.of("me", me, "limit", CLAIM, "kinds", kinds,
                "lease", config.webhooks().lease().toMillis() / 1000.0))).map(rows -> rows.stream().map(r -> {
                    List<String> secrets = new ArrayList<>();
                    for (int i = 4; i <= 5; i++) {
                        if (r[i] != null) {
                            secrets.add((String) r[i]);
                        }
                    }
                    return new Claimed((UUID) r[0], (String) r[1], URI.create((String) r[2]), List.of(((String) r[3]).split(",")),
                            secrets, new EventCursor(Long.parseLong((String) r[6]), ((Number) r[7]).longValue()),
                            ((Number) r[8]).intValue());
                }).toList());
    }

    /** Delivers the endpoint's events page by page until the log is done, an event fails, or the lease is half spent. */
    private Uni<Void> work(Claimed endpoint) {
        Instant until = Instant.now().plus(config.webhooks().lease().dividedBy(2));
        return SafeContexts.run(vertx, () -> deliverFrom(endpoint, endpoint.cursor(), until))
                .onFailure().invoke(failure -> LOG.warnf(failure, "Delivering to webhook %s failed", endpoint.id()))
                .onFailure().recoverWithNull()
                .chain(() -> SafeContexts.run(vertx, () -> Panache.withTransaction(() -> Sql.update(RELEASE,
                        Map.of("id", endpoint.id(), "me", me)))))
                .replaceWithVoid();
    }

    private Uni<Void> deliverFrom(Claimed endpoint, EventCursor cursor, Instant until) {
        return log.after(cursor, PAGE).chain(page -> {
            Optional<LifecycleEvent> next = page.events().stream().filter(endpoint::wants).findFirst();
            if (next.isEmpty()) {
                // nothing for this endpoint in the page: past it, and on to the next page while there is one
                EventCursor end = EventCursor.parse(page.next()).orElseThrow();
                if (end.equals(cursor)) {
                    return Uni.createFrom().voidItem();
                }
                return advance(endpoint, end, 0, Duration.ZERO).chain(held -> held && page.events().size() == PAGE
                        && Instant.now().isBefore(until) ? deliverFrom(endpoint.at(end), end, until) : Uni.createFrom().voidItem());
            }
            LifecycleEvent event = next.get();
            int index = page.events().indexOf(event);
            // where the cursor stays if this event fails: just before it, so it stays the next one to deliver
            EventCursor before = index == 0 ? cursor : EventCursor.parse(page.events().get(index - 1).cursor()).orElseThrow();
            int attempt = endpoint.failures() + 1;
            return send(endpoint, event).chain(result -> record(endpoint, event, attempt, result).chain(() -> {
                if (result.outcome() != Outcome.FAILED) {
                    EventCursor done = EventCursor.parse(event.cursor()).orElseThrow();
                    Duration pause = result.pause() == null ? Duration.ZERO : result.pause();
                    return advance(endpoint, done, 0, pause).chain(held -> held && pause.isZero() && Instant.now().isBefore(until)
                            ? deliverFrom(endpoint.at(done), done, until)
                            : Uni.createFrom().voidItem());
                }
                if (result.pause() != null) {
                    // the CRM's rate limit, not the target failing: the same event again after the pause, uncounted
                    return advance(endpoint, before, endpoint.failures(), result.pause()).replaceWithVoid();
                }
                Optional<Duration> wait = schedule.after(attempt, ThreadLocalRandom.current());
                return wait.isPresent() ? advance(endpoint, before, attempt, wait.get()).replaceWithVoid()
                        : disable(endpoint, event, attempt, result);
            }));
        });
    }

    private Uni<DeliveryAttempt> send(Claimed endpoint, LifecycleEvent event) {
        if (WebhookService.WEBHOOK.equals(endpoint.kind())) {
            return post(endpoint, event);
        }
        long started = System.nanoTime();
        return connectors.get(endpoint.kind()).deliver(event)
                .onFailure().recoverWithItem(failure -> DeliveryAttempt.failed(elapsed(started), describe(failure), null));
    }

    /** The signed Standard Webhooks POST. */
    private Uni<DeliveryAttempt> post(Claimed endpoint, LifecycleEvent event) {
        String body = payload(event);
        long timestamp = Instant.now().getEpochSecond();
        String messageId = Long.toString(event.id());
        long started = System.nanoTime();
        long timeout = config.webhooks().timeout().toMillis();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint.url().toString())
                .setFollowRedirects(false).setTimeout(timeout)
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", "LeadRouter-Webhooks/1")
                .putHeader("webhook-id", messageId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", WebhookSignature.header(endpoint.secrets(), messageId, timestamp, body));
        return targets.check(endpoint.url().toString())
                .chain(checked -> Uni.createFrom().completionStage(() -> http.request(request)
                        .compose(req -> req.send(Buffer.buffer(body)))
                        .compose(response -> {
                            boolean delivered = response.statusCode() / 100 == 2;
                            return BoundedBody.read(response, RESPONSE_KEPT).map(kept -> new DeliveryAttempt(delivered ? Outcome.DELIVERED : Outcome.FAILED,
                                    response.statusCode(), elapsed(started), delivered ? null : "HTTP " + response.statusCode(),
                                    kept.toString(), null, null));
                        }).toCompletionStage()))
                .ifNoItem().after(Duration.ofMillis(timeout + 1000)).fail()
                .onFailure().recoverWithItem(failure -> DeliveryAttempt.failed(elapsed(started), describe(failure), null));
    }

    /** The Standard Webhooks body: type, timestamp and the event as the feed shows it. */
    String payload(LifecycleEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", event.id());
        data.put("leadId", event.leadId());
        data.put("repId", event.repId());
        data.put("team", event.team());
        data.put("policyVersion", event.policyVersion());
        data.putAll(event.data());
        data.values().removeIf(Objects::isNull);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type().wireName());
        body.put("timestamp", event.occurredAt());
        body.put("data", data);
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Uni<Void> record(Claimed endpoint, LifecycleEvent event, int attempt, DeliveryAttempt result) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("endpoint", endpoint.id());
        params.put("event", event.id());
        params.put("type", event.type().wireName());
        params.put("attempt", attempt);
        params.put("outcome", result.outcome().name());
        params.put("status", result.status());
        params.put("latency", (int) Math.min(Integer.MAX_VALUE, result.latencyMs()));
        params.put("error", result.error());
        params.put("response", result.response());
        params.put("target", result.target());
        return Panache.withTransaction(() -> Sql.update(RECORD, params)).replaceWithVoid();
    }

    /**
     * Moves the endpoint's cursor; false when this replica no longer holds it (its lease ran out and another took it
     * over, or the endpoint was deleted): then it sends nothing more, so no two replicas deliver one endpoint at once.
     */
    private Uni<Boolean> advance(Claimed endpoint, EventCursor cursor, int failures, Duration wait) {
        return Panache.withTransaction(() -> Sql.update(ADVANCE, Map.of("id", endpoint.id(), "me", me,
                "tx", Long.toString(cursor.tx()), "cursor", cursor.id(), "failures", failures,
                "wait", wait.toMillis() / 1000.0))).map(updated -> {
                    if (updated == 0) {
                        LOG.warnf("Lost the lease on %s %s (expired or deleted); this replica stops delivering to it",
                                endpoint.kind(), endpoint.id());
                    }
                    return updated > 0;
                });
    }

    private Uni<Void> disable(Claimed endpoint, LifecycleEvent event, int attempts, DeliveryAttempt last) {
        String reason = "GAVE_UP: event " + event.id() + " (" + event.type().wireName() + ") failed " + attempts
                + " attempts; last: " + last.error();
        return log.inTransaction(batch -> Sql.list(DISABLE, String.class, Map.of("id", endpoint.id(), "me", me, "reason", reason))
                .invoke(urls -> {
                    if (!urls.isEmpty()) {
                        batch.other(EventType.WEBHOOK_DISABLED, EventBatch.data("webhookId", endpoint.id(),
                                "kind", endpoint.kind(), "url", urls.get(0), "reason", reason));
                    }
                })).invoke(() -> LOG.warnf("%s %s disabled: %s", endpoint.kind(), endpoint.id(), reason)).replaceWithVoid();
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() <= 500 ? message : message.substring(0, 500);
    }
}
