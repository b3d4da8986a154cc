package io.leadrouter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class MinuteWindowsTest {

    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-01T12:00:15Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aKeyOverItsLimitWaitsUntilItsMinuteEnds() {
        Moving clock = new Moving();
        MinuteWindows windows = new MinuteWindows(clock);
        assertThat(windows.count("a", 2)).isEmpty();
        assertThat(windows.full("a", 2)).isEmpty();
        assertThat(windows.count("a", 2)).isEmpty();
        assertThat(windows.full("a", 2)).contains(Duration.ofSeconds(45));
        assertThat(windows.count("a", 2)).contains(Duration.ofSeconds(45));
        assertThat(windows.count("b", 2)).as("each key its own").isEmpty();

        clock.now = Instant.parse("2026-12-01T12:00:59.500Z");
        assertThat(windows.count("a", 2)).contains(Duration.ofMillis(500));
        clock.now = Instant.parse("2026-12-01T12:01:00Z");
        assertThat(windows.count("a", 2)).as("a new minute").isEmpty();
    }

    @Test
    void endedWindowsArePruned() {
        Moving clock = new Moving();
        MinuteWindows windows = new MinuteWindows(clock);
        windows.count("a", 1);
        windows.count("a", 1);
        clock.now = clock.now.plusSeconds(60);
        windows.prune();
        assertThat(windows.full("a", 1)).isEmpty();
        assertThat(windows.count("a", 1)).isEmpty();
    }
}
