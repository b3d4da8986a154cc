package io.leadrouter.common;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Spaces the runs of a periodic job whose cost grows with what it reads (a count over the whole queue): after a run
 * that took {@code d}, the next is not due before {@code SPACING × d} has passed, so the job keeps at most about a
 * tenth of a database backend however deep the queue grows. A cheap run (a few milliseconds) is due again at its
 * schedule's next tick, so nothing changes for a queue of ordinary depth. With 170,000 queued leads the mode
 * evaluation's count took 186 ms and ran on every half-second sweep: over a third of a core of PostgreSQL's two.
 */
public final class CostBound {

    /** Time between runs, as a multiple of the last run's duration. */
    static final int SPACING = 10;

    private final LongSupplier nanoTime;
    /** {@code nanoTime} before which no run is due; meaningless until the first run ended. */
    private long dueAt;
    private boolean ran;

    public CostBound() {
        this(System::nanoTime);
    }

    CostBound(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Runs {@code job} when a run is due and returns its item, else null without running it. */
    public <T> Uni<T> runIfDue(Supplier<Uni<T>> job) {
        long startedAt = nanoTime.getAsLong();
        if (!due(startedAt)) {
            return Uni.createFrom().nullItem();
        }
        return job.get().onTermination().invoke(() -> ended(startedAt, nanoTime.getAsLong()));
    }

    synchronized boolean due(long now) {
        return !ran || now - dueAt >= 0;
    }

    synchronized void ended(long startedAt, long endedAt) {
        ran = true;
        dueAt = endedAt + SPACING * (endedAt - startedAt);
    }
}
