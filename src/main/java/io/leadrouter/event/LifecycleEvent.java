package io.leadrouter.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One committed state change, as the feed serves it.
 *
 * @param cursor where a reader that has this event continues from ({@code after=})
 * @param data what the change was, by type (offer id, reason, outcome, status...)
 * @param attachment what the writing transaction already held (the lead as shown, the offer), for subscribers on
 *     the replica that committed it; never stored, null for events read back from the log
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleEvent(long id, String cursor, EventType type, Instant occurredAt, UUID leadId, String repId,
        String team, Integer policyVersion, Map<String, Object> data, @JsonIgnore Object attachment) {

    /** A string field of {@link #data}, or null. */
    public String text(String field) {
        Object value = data.get(field);
        return value == null ? null : value.toString();
    }

    /** The attachment, when the committing transaction left one of this type. */
    public <T> T attachment(Class<T> type) {
        return type.isInstance(attachment) ? type.cast(attachment) : null;
    }
}
