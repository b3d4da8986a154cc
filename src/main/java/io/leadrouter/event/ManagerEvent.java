package io.leadrouter.event;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A lifecycle event a manager acts on, in the shape {@code GET /events} has always answered with.
 *
 * @param reason why, in words with a leading code ({@code MAX_ATTEMPTS: ...}, {@code UNTENDED: ...})
 */
public record ManagerEvent(long id, Kind kind, UUID leadId, String team, String repId, String reason, Instant createdAt) {

    public enum Kind {
        HELD(EventType.LEAD_HELD), ESCALATED(EventType.LEAD_ESCALATED), TAKEN_BACK(EventType.LEAD_TAKEN_BACK),
        WEBHOOK_DISABLED(EventType.WEBHOOK_DISABLED), UNROUTED(EventType.LEAD_UNROUTED);

        private final EventType type;

        Kind(EventType type) {
            this.type = type;
        }

        public EventType type() {
            return type;
        }

        static Kind of(String wireName) {
            return Arrays.stream(values()).filter(k -> k.type.wireName().equals(wireName)).findFirst().orElseThrow();
        }
    }
}
