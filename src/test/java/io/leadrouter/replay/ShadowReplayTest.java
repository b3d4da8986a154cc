package io.leadrouter.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.leadrouter.routing.ShadowComparison;

/** The replay's {@code --shadow}: every decision also computed under a second policy, compared, never acted on. */
class ShadowReplayTest {

    static final Path PLAIN = Path.of("docs/examples/crm-policy-plain.json");

    static Scenario day() throws Exception {
        return CrmDataset.load(CrmReplayTest.CRM, new CrmDataset.Selection(null, 3), BehaviourModel.DEFAULT, 5);
    }

    @Test
    void aShadowEqualToThePolicyAgreesOnEveryDecisionAndChangesNothing() throws Exception {
        Scenario day = day();
        ReplayReport alone = new Simulation(ReplayCommand.policy(CrmReplayTest.POLICY), "A", 5).run(day);
        ReplayReport shadowed = new Simulation(ReplayCommand.policy(CrmReplayTest.POLICY), "A", 5)
                .withShadow(ReplayCommand.policy(CrmReplayTest.POLICY), "same").run(day);

        ShadowComparison.Report comparison = shadowed.shadow().comparison();
        assertThat(comparison.decisions()).isGreaterThanOrEqualTo(alone.offers().made());
        assertThat(comparison.agreementRate()).isEqualTo(1.0);
        assertThat(comparison.disagreements()).isEmpty();
        assertThat(comparison.reps()).allSatisfy(rep -> assertThat(rep.shadow()).as(rep.repId()).isEqualTo(rep.live()));
        assertThat(comparison.teams()).allSatisfy(team -> assertThat(team.shadow()).isEqualTo(team.live()));
        // the shadow never acts: the day went exactly as without it
        assertThat(shadowed.reps()).isEqualTo(alone.reps());
        assertThat(shadowed.offers()).isEqualTo(alone.offers());
        assertThat(shadowed.outcome()).isEqualTo(alone.outcome());
        assertThat(alone.shadow()).isNull();
    }

    @Test
    void aDifferentShadowShowsWhoWouldHaveGotWhat() throws Exception {
        Scenario day = day();
        ReplayReport live = new Simulation(ReplayCommand.policy(CrmReplayTest.POLICY), "A", 5).run(day);
        ReplayReport shadowed = new Simulation(ReplayCommand.policy(CrmReplayTest.POLICY), "A", 5)
                .withShadow(ReplayCommand.policy(PLAIN), "plain").run(day);

        ShadowComparison.Report comparison = shadowed.shadow().comparison();
        assertThat(comparison.agreementRate()).isLessThan(1.0);
        assertThat(comparison.agreed()).isLessThan(comparison.decisions());
        assertThat(comparison.disagreements()).isNotEmpty().hasSizeLessThanOrEqualTo(Simulation.SHADOW_SAMPLE)
                .allSatisfy(d -> assertThat(d.liveRepId()).isNotEqualTo(d.shadowRepId()));
        // live counts are the offers the replay made; every decision lands on a rep or on nobody, on both sides
        long liveOffers = comparison.reps().stream().mapToLong(ShadowComparison.RepComparison::live).sum();
        assertThat(liveOffers).isEqualTo(live.offers().made());
        long noneLive = comparison.valueByTier().stream().filter(t -> t.tier().equals(ShadowComparison.NOBODY))
                .mapToLong(ShadowComparison.TierValue::liveDecisions).sum();
        long shadowChosen = comparison.reps().stream().mapToLong(ShadowComparison.RepComparison::shadow).sum();
        long noneShadow = comparison.valueByTier().stream().filter(t -> t.tier().equals(ShadowComparison.NOBODY))
                .mapToLong(ShadowComparison.TierValue::shadowDecisions).sum();
        assertThat(liveOffers + noneLive).isEqualTo(comparison.decisions());
        assertThat(shadowChosen + noneShadow).isEqualTo(comparison.decisions());
        assertThat(comparison.reps()).anySatisfy(rep -> assertThat(rep.shadow()).isNotEqualTo(rep.live()));
        assertThat(comparison.teams()).hasSize(3);
    }

    @Test
    void theCommandPrintsTheShadowComparison() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayCommand.run(new String[] { "--data", "crm", "--data-dir", TestScenarios.DATA.toString(), "--days", "3",
                "--seed", "5", "--policy", CrmReplayTest.POLICY.toString(), "--shadow", PLAIN.toString() },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("Shadow crm-policy-plain.json against crm-policy.json", "decisions agree",
                "Value by tier of the chosen rep", "Who would have got what", "First disagreements", "Darcel Schlecht");
        assertThat(ReplayCommand.run(new String[] { "--data", "crm", "--shadow", "no-such.json" }, new PrintStream(out),
                new PrintStream(err))).isEqualTo(2);
    }
}
