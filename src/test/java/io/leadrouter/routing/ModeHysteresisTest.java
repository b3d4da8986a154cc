package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModeHysteresisTest {

    final ModeHysteresis hysteresis = new ModeHysteresis(3.0, 1.0);

    @Test
    void pushTurnsToPullAtTheUpperThresholdOnly() {
        assertThat(hysteresis.next(Mode.PUSH, 5, 2)).isEqualTo(Mode.PUSH);
        assertThat(hysteresis.next(Mode.PUSH, 6, 2)).isEqualTo(Mode.PULL);
        // no free capacity counts as one point
        assertThat(hysteresis.next(Mode.PUSH, 3, 0)).isEqualTo(Mode.PULL);
        assertThat(hysteresis.next(Mode.PUSH, 2, 0)).isEqualTo(Mode.PUSH);
    }

    @Test
    void pullTurnsBackToPushAtTheLowerThresholdOnly() {
        assertThat(hysteresis.next(Mode.PULL, 5, 2)).as("between the thresholds nothing changes").isEqualTo(Mode.PULL);
        assertThat(hysteresis.next(Mode.PULL, 2, 2)).isEqualTo(Mode.PUSH);
        assertThat(hysteresis.next(Mode.PULL, 0, 0)).isEqualTo(Mode.PUSH);
    }

    @Test
    void thresholdsMustNotCross() {
        assertThatThrownBy(() -> new ModeHysteresis(1.0, 2.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
