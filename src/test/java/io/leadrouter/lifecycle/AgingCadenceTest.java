package io.leadrouter.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AgingCadenceTest {

    private static final Optional<Duration> FIVE_MINUTES = Optional.of(Duration.ofMinutes(5));
    private static final long SECOND = 1_000_000_000L;

    @Test
    void runsAtFirstThenTenTimesPerStep() {
        AgingCadence cadence = new AgingCadence();

        assertThat(cadence.due(FIVE_MINUTES, 0)).isTrue();
        assertThat(cadence.due(FIVE_MINUTES, 29 * SECOND)).isFalse();
        assertThat(cadence.due(FIVE_MINUTES, 30 * SECOND)).isTrue();
        assertThat(cadence.due(FIVE_MINUTES, 31 * SECOND)).isFalse();
    }

    @Test
    void aShorterStepMakesItDueSooner() {
        AgingCadence cadence = new AgingCadence();
        cadence.due(FIVE_MINUTES, 0);

        assertThat(cadence.due(Optional.of(Duration.ofSeconds(1)), SECOND / 10)).isTrue();
    }

    @Test
    void neverRunsWhenNoPriorityAges() {
        assertThat(new AgingCadence().due(Optional.empty(), 0)).isFalse();
    }
}
