package io.leadrouter.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The lifecycle event log. State changes run in {@link #inTransaction}: their events are written in the same
 * transaction, and once it has committed every {@link EventSubscriber} hears of them. Readers follow the log with
 * {@link #after}, which never skips an event, whatever order transactions commit in.
 */
@ApplicationScoped
public class EventLog {

    private static final Logger LOG = Logger.getLogger(EventLog.class);

    // ids are taken in the SELECT's order, so sorting the returned ids gives the batch's order back
    private static final String INSERT = """
            INSERT INTO lifecycle_event (type, lead_id, rep_id, team, policy_version, data)
            SELECT x.type, x.lead_id, x.rep_id, x.team, x.policy_version, x.data
            FROM ROWS FROM (jsonb_to_recordset(cast(cast(:rows AS text) AS jsonb))
                     AS (type text, lead_id uuid, rep_id text, team text, policy_version integer, data jsonb))
                 WITH ORDINALITY AS x(type, lead_id, rep_id, team, policy_version, data, n)
            ORDER BY x.n
            RETURNING id, cast(tx AS text), occurred_at
            """;

    /*
     * Only transactions below the snapshot's xmin are certainly finished: an event of a transaction still running
     * (or not yet begun) will have a tx at or above it, so it sorts after everything returned here.
     */
    private static final String AFTER = """
            SELECT e.id, cast(e.tx AS text) AS tx_text, e.type, e.occurred_at, e.lead_id, e.rep_id, e.team, e.policy_version,
                   cast(e.data AS text)
            FROM lifecycle_event e
            WHERE (e.tx, e.id) > (cast(cast(:tx AS text) AS xid8), :id)
              AND e.tx < pg_snapshot_xmin(pg_current_snapshot())
            -- by the xid8 column, not its text, which would sort 1000 before 997
            ORDER BY e.tx, e.id
            LIMIT :limit
            """;

    private static final String MANAGER_EVENTS = """
            SELECT id, type, lead_id, team, rep_id, data ->> 'reason', occurred_at
            FROM lifecycle_event
            WHERE type IN ('lead.held', 'lead.escalated', 'lead.taken_back', 'webhook.disabled', 'lead.unrouted') %s
            ORDER BY id DESC
            LIMIT :limit
            """;

    /** The oldest events first, a bounded batch: ids follow time closely enough for the oldest to come first. */
    private static final String PRUNE = """
            DELETE FROM lifecycle_event
            WHERE id IN (SELECT id FROM lifecycle_event ORDER BY id LIMIT :limit)
              AND occurred_at < now() - make_interval(secs => :retention)
            """;

    static final int PRUNE_BATCH = 10_000;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final List<EventSubscriber> subscribers;
    private final ObjectMapper mapper;

    public EventLog(@All List<EventSubscriber> subscribers, ObjectMapper mapper) {
        this.subscribers = subscribers;
        this.mapper = mapper;
    }

    /**
     * Runs {@code work} in a transaction together with the events it appends to its batch; after the commit the
     * subscribers hear of them. Not for nesting: the caller must not already be in a transaction.
     */
    public <T> Uni<T> inTransaction(Function<EventBatch, Uni<T>> work) {
        EventBatch batch = new EventBatch();
        List<LifecycleEvent> written = new ArrayList<>();
        return Panache.withTransaction(() -> work.apply(batch).call(() -> write(batch).invoke(written::addAll)))
                .invoke(() -> publish(written));
    }

    /**
     * Runs {@code work}, a single statement that writes its events itself ({@link EventBatch#written}), outside a
     * transaction: the statement commits alone, without the round trips of BEGIN and COMMIT; then the subscribers
     * hear of its events. Events appended for the log to write would not commit with the change, so they are refused.
     */
    public <T> Uni<T> inOneStatement(Function<EventBatch, Uni<T>> work) {
        EventBatch batch = new EventBatch();
        return Panache.withSession(() -> work.apply(batch)).invoke(() -> {
            List<Object> entries = batch.entries();
            if (entries.stream().anyMatch(EventBatch.Pending.class::isInstance)) {
                throw new IllegalStateException("A statement outside a transaction appended events it did not write");
            }
            publish(entries.stream().map(LifecycleEvent.class::cast).toList());
        });
    }

    private Uni<List<LifecycleEvent>> write(EventBatch batch) {
        List<Object> entries = batch.entries();
        List<EventBatch.Pending> pending = entries.stream().filter(EventBatch.Pending.class::isInstance)
                .map(EventBatch.Pending.class::cast).toList();
        if (pending.isEmpty()) {
            return Uni.createFrom().item(entries.stream().map(LifecycleEvent.class::cast).toList());
        }
        List<Map<String, Object>> rows = new ArrayList<>(pending.size());
        for (EventBatch.Pending p : pending) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", p.type().wireName());
            row.put("lead_id", p.leadId());
            row.put("rep_id", p.repId());
            row.put("team", p.team());
            row.put("policy_version", p.policyVersion());
            row.put("data", p.data());
            rows.add(row);
        }
        return Sql.rows(INSERT, Map.of("rows", json(rows))).map(stored -> {
            List<Object[]> inOrder = new ArrayList<>(stored);
            inOrder.sort(Comparator.comparingLong(row -> ((Number) row[0]).longValue()));
            List<LifecycleEvent> events = new ArrayList<>(entries.size());
            int next = 0;
            for (Object entry : entries) {
                if (entry instanceof LifecycleEvent written) {
                    events.add(written);
                    continue;
                }
                EventBatch.Pending p = (EventBatch.Pending) entry;
                Object[] row = inOrder.get(next++);
                long id = ((Number) row[0]).longValue();
                events.add(new LifecycleEvent(id, new EventCursor(Long.parseLong((String) row[1]), id).toString(), p.type(),
                        Timestamps.of(row[2]), p.leadId(), p.repId(), p.team(), p.policyVersion(), p.data(), p.attachment()));
            }
            return events;
        });
    }

    private void publish(List<LifecycleEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (EventSubscriber subscriber : subscribers) {
            try {
                subscriber.committed(events);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed on %d committed events", subscriber.getClass().getSimpleName(), events.size());
            }
        }
    }

    /** A page of the log after the cursor, oldest first, and where to continue. */
    public record Page(List<LifecycleEvent> events, String next) {
    }

    /** Up to {@code limit} events after the cursor, in log order; {@code next} is the cursor itself when none is new. */
    @WithSession
    public Uni<Page> after(EventCursor cursor, int limit) {
        return Sql.rows(AFTER, Map.of("tx", Long.toString(cursor.tx()), "id", cursor.id(), "limit", limit)).map(rows -> {
            List<LifecycleEvent> events = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                long id = ((Number) row[0]).longValue();
                events.add(new LifecycleEvent(id, new EventCursor(Long.parseLong((String) row[1]), id).toString(),
                        EventType.ofWireName((String) row[2]).orElseThrow(), Timestamps.of(row[3]), (UUID) row[4], (String) row[5],
                        (String) row[6], row[7] == null ? null : ((Number) row[7]).intValue(), read((String) row[8]), null));
            }
            return new Page(events, events.isEmpty() ? cursor.toString() : events.get(events.size() - 1).cursor());
        });
    }

    /** What managers are told (held, escalated, taken back), newest first, optionally of one kind, team or lead. */
    @WithSession
    public Uni<List<ManagerEvent>> managerEvents(ManagerEvent.Kind kind, String team, UUID leadId, int limit) {
        StringBuilder where = new StringBuilder();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("limit", limit);
        if (kind != null) {
            where.append(" AND type = :type");
            params.put("type", kind.type().wireName());
        }
        if (team != null) {
            where.append(" AND team = :team");
            params.put("team", team);
        }
        if (leadId != null) {
            where.append(" AND lead_id = :lead");
            params.put("lead", leadId);
        }
        return Sql.rows(MANAGER_EVENTS.formatted(where), params).map(rows -> rows.stream()
                .map(r -> new ManagerEvent(((Number) r[0]).longValue(), ManagerEvent.Kind.of((String) r[1]), (UUID) r[2],
                        (String) r[3], (String) r[4], (String) r[5], Timestamps.of(r[6])))
                .toList());
    }

    /** Deletes events older than the retention, a batch at a time; returns how many went. */
    public Uni<Integer> prune(Duration retention) {
        return Panache.withTransaction(() -> Sql.update(PRUNE, Map.of("limit", PRUNE_BATCH,
                "retention", retention.toMillis() / 1000.0)));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not encode events", e);
        }
    }

    private Map<String, Object> read(String json) {
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored event is unreadable", e);
        }
    }
}
