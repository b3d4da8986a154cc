package io.leadrouter.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts per key in fixed windows of one wall-clock minute, in this process's memory. A key past its limit waits
 * until its window ends; windows that ended are dropped by {@link #prune}.
 */
final class MinuteWindows {

    private static final long MINUTE = 60_000;

    private record Window(long minute, int count) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    MinuteWindows(Clock clock) {
        this.clock = clock;
    }

    /** Counts one for the key; the wait until its window ends when that made it more than the limit. */
    Optional<Duration> count(String key, int limit) {
        long now = clock.millis();
        long minute = now / MINUTE;
        Window window = windows.compute(key, (k, old) -> old == null || old.minute() != minute ? new Window(minute, 1)
                : new Window(minute, Math.min(old.count() + 1, limit + 1)));
        return window.count() > limit ? Optional.of(untilTheMinuteEnds(now)) : Optional.empty();
    }

    /** The wait until the key's window ends if it already holds the limit, without counting. */
    Optional<Duration> full(String key, int limit) {
        long now = clock.millis();
        Window window = windows.get(key);
        return window != null && window.minute() == now / MINUTE && window.count() >= limit ? Optional.of(untilTheMinuteEnds(now))
                : Optional.empty();
    }

    void prune() {
        long minute = clock.millis() / MINUTE;
        windows.values().removeIf(window -> window.minute() < minute);
    }

    private static Duration untilTheMinuteEnds(long now) {
        return Duration.ofMillis(MINUTE - now % MINUTE);
    }
}
