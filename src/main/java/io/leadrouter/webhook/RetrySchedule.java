package io.leadrouter.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: the n-th failure waits the n-th step, give or take a fifth (jitter, so
 * endpoints that failed together do not all come back at once); after the last step the endpoint is given up on.
 */
public record RetrySchedule(List<Duration> steps) {

    static final double JITTER = 0.2;

    /** The wait after the {@code failures}-th failure in a row, or empty when there is no attempt left. */
    public Optional<Duration> after(int failures, RandomGenerator random) {
        if (failures < 1 || failures > steps.size()) {
            return Optional.empty();
        }
        double factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
        return Optional.of(Duration.ofMillis(Math.round(steps.get(failures - 1).toMillis() * factor)));
    }
}
