package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class FairnessTest {

    @Test
    void evenSplitByWeightIsPerfectlyFair() {
        Fairness.Report report = Fairness.measure(List.of(new Fairness.Share("a", 2, 20, 2000),
                new Fairness.Share("b", 1, 10, 500), new Fairness.Share("c", 1, 10, 700)));

        assertThat(report.maxMinRatio()).isEqualTo(1.0);
        assertThat(report.gini()).isZero();
        assertThat(report.assigned()).isEqualTo(40);
        assertThat(report.value()).isEqualTo(3200);
        assertThat(report.reps().get(0).weightedShare()).isEqualTo(0.5);
        assertThat(report.reps().get(0).expected()).isEqualTo(20);
        assertThat(report.reps()).allSatisfy(r -> assertThat(r.ratio()).isEqualTo(1.0));
    }

    @Test
    void unevenSplitShowsInRatioAndGini() {
        Fairness.Report report = Fairness.measure(List.of(new Fairness.Share("a", 1, 30, 0),
                new Fairness.Share("b", 1, 10, 0)));

        assertThat(report.maxMinRatio()).isEqualTo(3.0);
        // two reps 10 and 30: (-1*10 + 1*30) / (2 * 40)
        assertThat(report.gini()).isCloseTo(0.25, within(1e-9));
        assertThat(report.reps().get(0).ratio()).isEqualTo(1.5);
        assertThat(report.reps().get(1).ratio()).isEqualTo(0.5);
    }

    @Test
    void allToOneRepIsUnboundedAndMaximallyUnequal() {
        Fairness.Report report = Fairness.measure(List.of(new Fairness.Share("a", 1, 12, 0),
                new Fairness.Share("b", 1, 0, 0), new Fairness.Share("c", 1, 0, 0)));

        assertThat(report.maxMinRatio()).isNull();
        assertThat(report.gini()).isCloseTo(2.0 / 3, within(1e-3));
    }

    @Test
    void zeroWeightRepsExpectNothingAndDoNotCount() {
        Fairness.Report report = Fairness.measure(List.of(new Fairness.Share("a", 1, 5, 0),
                new Fairness.Share("b", 1, 5, 0), new Fairness.Share("trainee", 0, 3, 0)));

        assertThat(report.reps().get(2).expected()).isZero();
        assertThat(report.reps().get(2).ratio()).isNull();
        assertThat(report.maxMinRatio()).isEqualTo(1.0);
    }

    @Test
    void nothingAssignedIsEven() {
        Fairness.Report report = Fairness.measure(List.of(new Fairness.Share("a", 1, 0, 0),
                new Fairness.Share("b", 3, 0, 0)));

        assertThat(report.maxMinRatio()).isEqualTo(1.0);
        assertThat(report.gini()).isZero();
    }
}
