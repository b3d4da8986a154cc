package io.leadrouter.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The events of one transaction, appended as its changes are made and written in one statement before it commits
 * ({@link EventLog#inTransaction}). A change whose own statement already wrote its event (the offer, on the hot path)
 * adds it as {@link #written}, so the order of the batch stays the order of the changes.
 */
public final class EventBatch {

    /** An event not yet stored. */
    record Pending(EventType type, UUID leadId, String repId, String team, Integer policyVersion, Map<String, Object> data,
            Object attachment) {
    }

    /** Each entry: a {@link Pending} event, or a {@link LifecycleEvent} its change's statement stored. */
    private final List<Object> entries = new ArrayList<>();

    /** A change of the lead; {@code data} keys with null values are left out. */
    public EventBatch lead(EventType type, UUID leadId, String team, String repId, Integer policyVersion,
            Map<String, Object> data, Object attachment) {
        entries.add(new Pending(type, leadId, repId, team, policyVersion, compact(data), attachment));
        return this;
    }

    public EventBatch rep(EventType type, String repId, String team, Map<String, Object> data) {
        entries.add(new Pending(type, null, repId, team, null, compact(data), null));
        return this;
    }

    /** A change of neither a lead nor a rep (a webhook endpoint given up on). */
    public EventBatch other(EventType type, Map<String, Object> data) {
        entries.add(new Pending(type, null, null, null, null, compact(data), null));
        return this;
    }

    public EventBatch policy(int version) {
        entries.add(new Pending(EventType.POLICY_PUBLISHED, null, null, null, version, Map.of(), null));
        return this;
    }

    /**
     * An event the change's own statement inserted into {@code lifecycle_event} (with the id, transaction and time it
     * returned), for the subscribers to hear of after the commit like any other.
     */
    public EventBatch written(long id, String tx, Instant occurredAt, EventType type, UUID leadId, String team,
            String repId, Integer policyVersion, Map<String, Object> data, Object attachment) {
        entries.add(new LifecycleEvent(id, new EventCursor(Long.parseLong(tx), id).toString(), type, occurredAt, leadId, repId,
                team, policyVersion, compact(data), attachment));
        return this;
    }

    List<Object> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** A map of the pairs whose value is not null, in order: {@code data("offerId", id, "reason", null)}. */
    public static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                data.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return data;
    }

    private static Map<String, Object> compact(Map<String, Object> data) {
        Map<String, Object> kept = new LinkedHashMap<>();
        data.forEach((key, value) -> {
            if (value != null) {
                kept.put(key, value);
            }
        });
        return kept;
    }
}
