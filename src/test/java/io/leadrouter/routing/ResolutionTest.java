package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.leadrouter.routing.Resolution.Cause;

/** Where a lead goes when an offer or assignment ends: the rule the service and the replay share. */
class ResolutionTest {

    /** Three attempts; escalation at the third failure, +10, territory relaxed; held leads escalate with language. */
    private static final Resolution.Rules RULES = new Resolution.Rules(3, 3, 10, Set.of(Criterion.TERRITORY),
            Set.of(Criterion.TERRITORY, Criterion.LANGUAGE));

    private static Resolution.Lead lead(int attempt, int failures, boolean escalated) {
        return new Resolution.Lead(attempt, failures, escalated, 3, 4, Set.of(Criterion.SKILLS));
    }

    @Test
    void aFailureBelowTheLastAttemptRequeuesUnchanged() {
        Resolution.Outcome outcome = Resolution.of(Cause.DECLINED, lead(1, 0, false), RULES);
        assertThat(outcome).isEqualTo(new Resolution.Outcome(false, false, 3, 4, Set.of(Criterion.SKILLS)));
    }

    @Test
    void reachingTheThresholdEscalatesOnceWithBoostAndRelaxedCriteria() {
        Resolution.Outcome outcome = Resolution.of(Cause.LAPSED, lead(2, 2, false), RULES);
        assertThat(outcome.held()).isFalse();
        assertThat(outcome.escalates()).isTrue();
        assertThat(outcome.basePriority()).isEqualTo(13);
        assertThat(outcome.priority()).isEqualTo(14);
        assertThat(outcome.relaxed()).containsExactlyInAnyOrder(Criterion.SKILLS, Criterion.TERRITORY);
        assertThat(Resolution.of(Cause.LAPSED, lead(2, 3, true), RULES).escalates()).as("at most once").isFalse();
    }

    @Test
    void onTheLastAttemptTheHoldWinsOverAnEscalationDueAtTheSameTime() {
        Resolution.Outcome outcome = Resolution.of(Cause.DECLINED, lead(3, 2, false), RULES);
        assertThat(outcome.held()).isTrue();
        assertThat(outcome.escalates()).isFalse();
        assertThat(outcome.priority()).isEqualTo(4);
    }

    @Test
    void aTakeBackCountsAsAFailureButNeverHolds() {
        Resolution.Outcome outcome = Resolution.of(Cause.TAKEN_BACK, lead(3, 2, false), RULES);
        assertThat(outcome.held()).isFalse();
        assertThat(outcome.escalates()).isTrue();
        assertThat(Resolution.isFailure(Cause.TAKEN_BACK)).isTrue();
    }

    @Test
    void aCancelledOfferIsNoFailure() {
        Resolution.Outcome outcome = Resolution.of(Cause.CANCELLED, lead(3, 2, false), RULES);
        assertThat(outcome.held()).isFalse();
        assertThat(outcome.escalates()).isFalse();
        assertThat(Resolution.isFailure(Cause.CANCELLED)).isFalse();
    }

    @Test
    void aLeadHeldTooLongEscalatesWithTheHoldingPoolsRelaxationUnlessItDidBefore() {
        Resolution.Outcome outcome = Resolution.of(Cause.HELD_TOO_LONG, lead(3, 3, false), RULES);
        assertThat(outcome.escalates()).isTrue();
        assertThat(outcome.relaxed()).containsExactlyInAnyOrder(Criterion.SKILLS, Criterion.TERRITORY, Criterion.LANGUAGE);
        Resolution.Outcome again = Resolution.of(Cause.HELD_TOO_LONG, lead(3, 3, true), RULES);
        assertThat(again.held()).isTrue();
        assertThat(again.escalates()).isFalse();
    }

    @Test
    void theBoostedPriorityIsCappedAt100() {
        Resolution.Outcome outcome = Resolution.of(Cause.DECLINED, new Resolution.Lead(1, 2, false, 95, 97, Set.of()), RULES);
        assertThat(outcome.priority()).isEqualTo(100);
        assertThat(outcome.basePriority()).isEqualTo(105);
    }

    @Test
    void noThresholdNeverEscalates() {
        Resolution.Rules never = new Resolution.Rules(5, 0, 10, Set.of(), Set.of());
        assertThat(Resolution.of(Cause.DECLINED, lead(2, 40, false), never).escalates()).isFalse();
    }
}
