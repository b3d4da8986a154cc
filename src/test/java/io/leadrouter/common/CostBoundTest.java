package io.leadrouter.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class CostBoundTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
    private final CostBound bound = new CostBound(now::get);
    private final AtomicInteger runs = new AtomicInteger();

    /** A run of the job that takes {@code millis} on the fake clock; its item, or null when it was not due. */
    private String tick(long millis) {
        return bound.runIfDue(() -> {
            runs.incrementAndGet();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
            return Uni.createFrom().item("ran");
        }).await().indefinitely();
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aCheapJobRunsOnEveryTick() {
        for (int i = 0; i < 5; i++) {
            assertThat(tick(2)).isEqualTo("ran");
            advance(500);
        }
        assertThat(runs).hasValue(5);
    }

    @Test
    void aRunThatTookLongIsNotFollowedBeforeTenTimesItsDuration() {
        assertThat(tick(200)).isEqualTo("ran");
        advance(500);
        assertThat(tick(200)).as("500 ms after a 200 ms run").isNull();
        advance(1_499);
        assertThat(tick(200)).as("1,999 ms after").isNull();
        advance(1);
        assertThat(tick(3)).as("2,000 ms after").isEqualTo("ran");
        assertThat(runs).hasValue(2);
        // the cheap run sets the spacing back to its own cost
        advance(30);
        assertThat(tick(3)).isEqualTo("ran");
    }

    @Test
    void aFailedRunIsSpacedByItsDurationToo() {
        Uni<String> failing = bound.runIfDue(() -> {
            advance(100);
            return Uni.createFrom().failure(new IllegalStateException("database away"));
        });
        assertThat(failing.onFailure().recoverWithItem("failed").await().indefinitely()).isEqualTo("failed");
        advance(999);
        assertThat(tick(1)).isNull();
        advance(1);
        assertThat(tick(1)).isEqualTo("ran");
    }
}
