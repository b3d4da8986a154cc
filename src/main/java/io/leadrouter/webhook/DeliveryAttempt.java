package io.leadrouter.webhook;

import java.time.Duration;

/**
 * What one attempt at delivering one event to one target came to.
 *
 * @param target the record written, for a CRM connector ({@code Lead/00Q...}); null for a webhook
 * @param pause how long the target is left alone after this attempt, whatever its outcome: the CRM said it is rate
 *     limited, or nearly out of its daily allowance. A paused failure is tried again without counting against the
 *     retry schedule. Null when the next event may follow at once
 */
public record DeliveryAttempt(Outcome outcome, Integer status, long latencyMs, String error, String response, String target,
        Duration pause) {

    public enum Outcome {
        /** The receiver took it. */
        DELIVERED,
        /** Tried again on the retry schedule; the target's later events wait behind it. */
        FAILED,
        /** Nothing to deliver for this event (the rep has no id in that CRM); the target moves on. */
        SKIPPED,
        /** Refused for good (the record was deleted in the CRM): no retry can help, so the target moves on. */
        REJECTED
    }

    /** Nothing was sent, for the reason given. */
    public static DeliveryAttempt skipped(String target, String reason) {
        return new DeliveryAttempt(Outcome.SKIPPED, null, 0, reason, null, target, null);
    }

    public static DeliveryAttempt failed(long latencyMs, String error, String target) {
        return new DeliveryAttempt(Outcome.FAILED, null, latencyMs, error, null, target, null);
    }

    /** The same attempt, with the target left alone for {@code pause} after it. */
    public DeliveryAttempt pausing(Duration pause) {
        return new DeliveryAttempt(outcome, status, latencyMs, error, response, target, pause);
    }
}
