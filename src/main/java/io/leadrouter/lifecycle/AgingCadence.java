package io.leadrouter.lifecycle;

import java.time.Duration;
import java.util.Optional;

/**
 * When aging is due: ten times per shortest aging step, not on every sweep. The aging statement reads the whole queue
 * (78 ms for 100k queued leads) while steps are minutes long, so a priority rises at most a tenth of a step late.
 */
final class AgingCadence {

    static final int RUNS_PER_STEP = 10;

    /** {@code System.nanoTime()} of the last run; meaningless before the first. */
    private long lastRunAt;
    private boolean ran;

    /** Whether aging runs now, given the policy's shortest step; a run that is due is recorded as done. */
    synchronized boolean due(Optional<Duration> shortestStep, long nowNanos) {
        if (shortestStep.isEmpty() || ran && nowNanos - lastRunAt < shortestStep.get().toNanos() / RUNS_PER_STEP) {
            return false;
        }
        ran = true;
        lastRunAt = nowNanos;
        return true;
    }
}
