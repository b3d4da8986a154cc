package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ShadowComparisonTest {

    @Test
    void agreementFairnessValuePerTierAndWhoWouldHaveGotWhat() {
        ShadowComparison.Tally tally = new ShadowComparison.Tally(1);
        UUID first = UUID.randomUUID();
        tally.add(UUID.randomUUID(), "t", "a", 1, "a", 1, 100.0);
        tally.add(UUID.randomUUID(), "t", "a", 1, "a", 1, 100.0);
        tally.add(first, "t", "a", 1, "b", 2, 50.0);
        tally.add(UUID.randomUUID(), "t", null, null, "b", 2, null);

        ShadowComparison.Report report = tally.report(List.of(new ShadowComparison.RosterRep("t", "a", 1),
                new ShadowComparison.RosterRep("t", "b", 1), new ShadowComparison.RosterRep("t", "c", 2)));

        assertThat(report.decisions()).isEqualTo(4);
        assertThat(report.agreed()).isEqualTo(2);
        assertThat(report.agreementRate()).isEqualTo(0.5);
        assertThat(report.disagreements()).containsExactly(new ShadowComparison.Disagreement(first, "t", "a", "b"));
        assertThat(report.reps()).containsExactly(new ShadowComparison.RepComparison("a", "t", 1, 3, 2, 250, 200),
                new ShadowComparison.RepComparison("b", "t", 1, 0, 2, 0, 50), new ShadowComparison.RepComparison("c", "t", 2, 0, 0, 0, 0));
        // c carries weight and got nothing on either side: unbounded
        assertThat(report.teams().get(0).live()).isEqualTo(new ShadowComparison.Side(3, 250, null, 0.667));
        assertThat(report.valueByTier()).containsExactly(new ShadowComparison.TierValue("none", 1, 0, 0, 0),
                new ShadowComparison.TierValue("tier 1", 3, 250, 2, 200), new ShadowComparison.TierValue("tier 2", 0, 0, 2, 50));
    }

    @Test
    void theShadowRanksOnItsOwnChoicesMovedFromTheLiveCounts() {
        RepFacts a = RepFacts.of("a", "t", 1).withState(Presence.AVAILABLE, 0, RepFacts.Caps.ZERO, null, 5);
        RepFacts b = RepFacts.of("b", "t", 1).withState(Presence.AVAILABLE, 0, RepFacts.Caps.ZERO, null, 1);
        List<RepFacts> reps = List.of(a, b);

        // the shadow would have given b three of a's leads; and taken more from b than b ever had
        assertThat(ShadowComparison.asShadowSees(reps, Map.of("a", -3L, "b", 3L)))
                .extracting(RepFacts::assignedInFairnessPeriod).containsExactly(2L, 4L);
        assertThat(ShadowComparison.asShadowSees(reps, Map.of("b", -4L)))
                .extracting(RepFacts::assignedInFairnessPeriod).containsExactly(5L, 0L);
        // a shadow that always agreed sees exactly what live routing sees
        assertThat(ShadowComparison.asShadowSees(reps, Map.of())).isSameAs(reps);
    }

    @Test
    void nothingComparedHasNoRate() {
        ShadowComparison.Report report = ShadowComparison.compare(List.of(), List.of(), List.of());
        assertThat(report.agreementRate()).isNull();
        assertThat(report.teams()).isEmpty();
    }
}
