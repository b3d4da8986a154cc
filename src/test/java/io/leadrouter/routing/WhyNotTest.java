package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class WhyNotTest {

    private static final UUID LEAD = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Map<String, Double> EVEN = Map.of("skill", 0.5, "fairness", 0.5);

    private static DecisionView decision(long id, DecisionKind kind, String chosen, String reason, CandidateTrace... candidates) {
        return new DecisionView(id, 1, kind, Mode.PUSH, chosen, null, 1, List.of(), reason, Instant.EPOCH, List.of(candidates), null, null, null);
    }

    @Test
    void equalScoresAreExplainedAsTheTieBreak() {
        DecisionView offer = decision(1, DecisionKind.OFFER, "a", null, CandidateTrace.scored("a", 0.5, EVEN),
                CandidateTrace.scored("b", 0.5, EVEN));

        WhyNot.Answer answer = WhyNot.explain(LEAD, "b", null, true, Optional.empty(), List.of(offer));

        assertThat(answer.decisions().get(0).standing()).isEqualTo(WhyNot.Standing.OUTRANKED);
        assertThat(answer.decisions().get(0).explanation()).contains("equal components; the fair tie-break chose");
    }

    @Test
    void aRankedDecisionNamesTheStepTheChosenRepWasAheadOn() {
        Map<String, Double> parts = Map.of("skill", 0.5, "language", 0.5, "territory", 0.5, "valueTierFit", 0.5, "idle", 1.0,
                "headroom", 1.0);
        CandidateTrace behind = new CandidateTrace("a", true, null, null, 0.5, parts, 0.5, 1.5);
        CandidateTrace ahead = new CandidateTrace("b", true, null, null, 0.5, parts, 0.5, 0.5);
        DecisionView fair = new DecisionView(1, 1, DecisionKind.OFFER, Mode.PUSH, "a", null, 1, List.of(), null, Instant.EPOCH,
                List.of(behind, ahead), "fairness", null, null);

        assertThat(WhyNot.explain(LEAD, "b", null, true, Optional.empty(), List.of(fair)).decisions().get(0).explanation())
                .contains("ranked 2 of 2").contains("ahead on fairness (leads behind its weighted share 1.5 vs 0.5)");

        AffinityTrace owner = new AffinityTrace("attributes.accountId", "acme", LEAD, "b", true, null, null);
        DecisionView owned = new DecisionView(2, 1, DecisionKind.OFFER, Mode.PUSH, "b", null, 1, List.of(), null, Instant.EPOCH,
                List.of(behind, ahead), "affinity", owner, null);
        assertThat(WhyNot.explain(LEAD, "a", null, true, Optional.empty(), List.of(owned)).decisions().get(0).explanation())
                .contains("ranked 2 of 2").contains("ahead on affinity (the owner of the account's lead " + LEAD + ")");
    }

    @Test
    void eligibleButNobodyChosenSaysWhy() {
        DecisionView held = decision(1, DecisionKind.NO_MATCH, null, null, CandidateTrace.scored("b", 0.4, EVEN));

        WhyNot.Step step = WhyNot.explain(LEAD, "b", null, true, Optional.empty(), List.of(held)).decisions().get(0);

        assertThat(step.standing()).isEqualTo(WhyNot.Standing.ELIGIBLE);
        assertThat(step.explanation()).contains("eligible (score 0.4, rank 1 of 1) but nobody was chosen");
    }

    @Test
    void aTakebackIsChargedToTheRepWhoHadTheLead() {
        DecisionView offer = decision(1, DecisionKind.OFFER, "a", null, CandidateTrace.scored("a", 0.7, EVEN));
        DecisionView takenBack = decision(2, DecisionKind.TAKEN_BACK, "a", "UNTENDED: not closed within PT4H");

        WhyNot.Answer answer = WhyNot.explain(LEAD, "a", null, true,
                Optional.of(CandidateTrace.excluded("a", Exclusion.MISSED_BEFORE, "rep let an offer of this lead lapse before")),
                List.of(offer, takenBack));

        assertThat(answer.decisions()).extracting(WhyNot.Step::standing)
                .containsExactly(WhyNot.Standing.CHOSEN, WhyNot.Standing.CHOSEN);
        assertThat(answer.answer()).contains("taken back from a: UNTENDED").contains("Right now a is excluded: MISSED_BEFORE");
    }

    @Test
    void theOwnerIsToldPlainly() {
        assertThat(WhyNot.explain(LEAD, "a", "a", false, Optional.empty(), List.of()).answer())
                .isEqualTo("The lead is assigned to a.");
        assertThat(WhyNot.explain(LEAD, "b", "a", false, Optional.empty(), List.of()).answer())
                .isEqualTo("No routing decision was made for this lead yet. The lead is assigned to a.");
    }
}
