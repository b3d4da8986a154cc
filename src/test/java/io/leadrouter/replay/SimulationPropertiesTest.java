package io.leadrouter.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import io.leadrouter.policy.Policy;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.RoutingRules;
import io.leadrouter.routing.Weights;

/**
 * Properties of whole simulated days. QuickTheories picks a fresh seed each run and prints it with a
 * falsified property; rerun with {@code -DQT_SEED=<seed>} to see the same examples again.
 */
class SimulationPropertiesTest {

    static final List<String> TEAMS = List.of("north", "south");
    static final List<String> SKILLS = List.of("saas", "erp");
    static final List<String> COUNTRIES = List.of("DE", "FR", "US");
    /** Shrinking steps after a falsified example: each step runs whole simulated days. */
    static final int SHRINK_CYCLES = 100;
    /**
     * QuickTheories first tries the values everything shrinks to, then all the minima; here they are the
     * same example, which it skips as already seen but still counts: one more keeps the number of
     * distinct examples at the count these properties have always run.
     */
    static final int REPEATED_BOUNDARY = 1;

    static Gen<Long> seeds() {
        return longs().between(0, 1_000_000);
    }

    /** The five values one run of {@link #noAssignmentEverBreaksAHardConstraint} draws. */
    record RandomRun(long seed, int repCount, int leadCount, boolean fallback, boolean escalate) {
    }

    /** Random reps and leads with every kind of constraint, policies with and without fallbacks: never a violation. */
    @Test
    void noAssignmentEverBreaksAHardConstraint() {
        Gen<RandomRun> runs = seeds().zip(integers().between(2, 8), integers().between(5, 80), booleans().all(), booleans().all(),
                RandomRun::new);
        qt().withExamples(40 + REPEATED_BOUNDARY).withShrinkCycles(SHRINK_CYCLES).forAll(runs)
                .checkAssert(SimulationPropertiesTest::breaksNoHardConstraint);
    }

    static void breaksNoHardConstraint(RandomRun run) {
        long seed = run.seed();
        int repCount = run.repCount();
        int leadCount = run.leadCount();
        boolean fallback = run.fallback();
        boolean escalate = run.escalate();
        SplittableRandom random = new SplittableRandom(seed);
        List<SimulatedRep> reps = new ArrayList<>();
        for (int i = 0; i < repCount; i++) {
            String id = "rep-" + i;
            RepFacts base = RepFacts.of(id, TEAMS.get(random.nextInt(2)), 1 + random.nextInt(3));
            RepFacts facts = new RepFacts(id, base.team(), true, base.presence(), true, base.maxLoad(), 0,
                    Map.of(SKILLS.get(random.nextInt(2)), 1 + random.nextInt(5)),
                    random.nextBoolean() ? Set.of("en") : Set.of("de", "en"),
                    random.nextBoolean() ? Set.of() : Set.of(COUNTRIES.get(random.nextInt(3))), 1 + random.nextInt(3), 1.0,
                    base.zone(), Map.of(), List.of(), random.nextBoolean() ? RepFacts.Caps.NONE : new RepFacts.Caps(3, null, null),
                    RepFacts.Caps.ZERO, null, 0);
            reps.add(SimulatedRep.scheduled(facts, BehaviourModel.DEFAULT, TestScenarios.DAY, seed));
        }
        List<ScenarioLead> leads = new ArrayList<>();
        for (int i = 0; i < leadCount; i++) {
            String id = "lead-" + seed + "-" + i;
            String team = TEAMS.get(random.nextInt(2));
            Map<String, Object> fields = Map.of("externalId", id, "team", team, "language", random.nextBoolean() ? "en" : "de",
                    "country", COUNTRIES.get(random.nextInt(3)), "value", (double) random.nextInt(50_000));
            Map<String, Integer> skills = random.nextBoolean() ? Map.of() : Map.of(SKILLS.get(random.nextInt(2)), 1 + random.nextInt(5));
            leads.add(new ScenarioLead(id, Seeds.arrivalWithin(seed, id, TestScenarios.DAY), team, fields,
                    random.nextInt(101), skills));
        }
        RoutingRules rules = new RoutingRules(true, true, Weights.DEFAULT, List.of(new RoutingRules.ValueTier(20_000, 1)),
                Duration.ofHours(1), fallback ? List.of(Criterion.TERRITORY, Criterion.SKILLS) : List.of());
        TeamPolicy team = new TeamPolicy(Duration.ofSeconds(30), 3, TestScenarios.team(rules, null).mode(), rules,
                new TeamPolicy.Aging(Duration.ofMinutes(5), 1, 5), Duration.ofMinutes(10), escalate ? 2 : 0, 2,
                escalate ? List.of(Criterion.LANGUAGE) : List.of(), Duration.ofHours(2), false);
        Scenario scenario = new Scenario("random", TestScenarios.DAY, reps, leads.stream()
                .sorted(Comparator.comparing(ScenarioLead::arrival)).toList(), BehaviourModel.DEFAULT);

        ReplayReport report = new Simulation(TestScenarios.policy(team), "random", seed).run(scenario);

        assertThat(report.violations()).isEmpty();
        assertThat(report.outcome().total()).isEqualTo(leadCount);
    }

    @Test
    void aSeedAlwaysGivesTheSameReport() {
        qt().withExamples(20 + REPEATED_BOUNDARY).withShrinkCycles(SHRINK_CYCLES)
                .forAll(seeds(), integers().between(2, 6), integers().between(10, 60))
                .checkAssert((seed, repCount, leadCount) -> {
                    Scenario first = equalReps(repCount, leadCount, BehaviourModel.DEFAULT, seed);
                    Scenario second = equalReps(repCount, leadCount, BehaviourModel.DEFAULT, seed);
                    Policy policy = TestScenarios.policy(TestScenarios.team(RoutingRules.DEFAULT, null));

                    assertThat(new Simulation(policy, "p", seed).run(first))
                            .isEqualTo(new Simulation(policy, "p", seed).run(second));
                });
    }

    /**
     * Equally weighted reps, always there and always accepting, no constraints: over 500+ leads
     * nobody gets more than 1.2 times the assignments of anybody else.
     */
    @Test
    void equallyWeightedRepsShareLongRunsEvenly() {
        qt().withExamples(15 + REPEATED_BOUNDARY).withShrinkCycles(SHRINK_CYCLES)
                .forAll(seeds(), integers().between(3, 8), integers().between(500, 800), integers().between(5, 90))
                .checkAssert((seed, repCount, leadCount, workMinutes) -> {
                    Scenario scenario = equalReps(repCount, leadCount,
                            BehaviourModel.alwaysAccepting(Duration.ofMinutes(workMinutes)), seed);

                    ReplayReport report = new Simulation(TestScenarios.policy(TestScenarios.team(RoutingRules.DEFAULT, null)), "p",
                            seed).run(scenario);

                    assertThat(report.outcome().total()).isEqualTo(leadCount);
                    assertThat(report.teams().get(0).maxMinRatio()).isNotNull().isLessThanOrEqualTo(1.2);
                });
    }

    /**
     * One rep, priority-5 leads arriving from midnight to 20:00 exactly as fast as the rep works
     * them, and a few priority-1 leads in the morning. With aging of one step per {@code every} and
     * no cap, a low lead outranks fresh high ones after 4 steps, and every low lead served puts one
     * more lead in the backlog, so every lead waits at most 4 x every + (2 x lows + 3) x work.
     * Without aging the low ones starve while the stream lasts: 8 hours at least.
     */
    @Test
    void agingEventuallyServesEveryLead() {
        qt().withExamples(25 + REPEATED_BOUNDARY).withShrinkCycles(SHRINK_CYCLES)
                .forAll(seeds(), integers().between(1, 5), integers().between(5, 15), integers().between(1, 5))
                .checkAssert(SimulationPropertiesTest::agingServes);
    }

    static void agingServes(long seed, int lows, int workMinutes, int everyMinutes) {
        Duration work = Duration.ofMinutes(workMinutes);
        Duration every = Duration.ofMinutes(everyMinutes);
        Scenario scenario = steadyStream(lows, work, seed);

        ReplayReport aged = new Simulation(TestScenarios.policy(TestScenarios.team(RoutingRules.DEFAULT,
                new TeamPolicy.Aging(every, 1, 100))), "aging", seed).run(scenario);
        ReplayReport unaged = new Simulation(TestScenarios.policy(TestScenarios.team(RoutingRules.DEFAULT, null)), "no aging",
                seed).run(scenario);

        long bound = every.multipliedBy(4).plus(work.plusSeconds(1).multipliedBy(2L * lows + 3)).toSeconds();
        assertThat(aged.outcome().assigned()).isEqualTo(scenario.leads().size());
        assertThat(aged.waiting().max()).isLessThanOrEqualTo(bound);
        assertThat(unaged.outcome().assigned()).isEqualTo(scenario.leads().size());
        assertThat(unaged.waiting().max()).isGreaterThanOrEqualTo(Duration.ofHours(8).toSeconds());
    }

    static Scenario equalReps(int repCount, int leadCount, BehaviourModel behaviour, long seed) {
        List<SimulatedRep> reps = new ArrayList<>();
        for (int i = 0; i < repCount; i++) {
            reps.add(SimulatedRep.scheduled(RepFacts.of("rep-" + i, "sales", 6), behaviour, TestScenarios.DAY, seed));
        }
        List<ScenarioLead> leads = new ArrayList<>();
        for (int i = 0; i < leadCount; i++) {
            String id = "lead-" + i;
            leads.add(TestScenarios.lead(id, Seeds.arrivalWithin(seed, id, TestScenarios.DAY), "sales", null));
        }
        leads.sort(Comparator.comparing(ScenarioLead::arrival));
        return new Scenario("equal reps", TestScenarios.DAY, reps, leads, behaviour);
    }

    /** High-priority leads every {@code work} from 00:00 to 20:00; the low ones at seeded times before noon. */
    static Scenario steadyStream(int lows, Duration work, long seed) {
        BehaviourModel behaviour = BehaviourModel.alwaysAccepting(work);
        RepFacts rep = RepFacts.of("solo", "sales", 1);
        List<ScenarioLead> leads = new ArrayList<>();
        for (Instant at = TestScenarios.DAY; at.isBefore(TestScenarios.DAY.plus(Duration.ofHours(20))); at = at.plus(work)) {
            leads.add(TestScenarios.lead("high-" + at, at, "sales", 100));
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < lows; i++) {
            leads.add(TestScenarios.lead("low-" + i, TestScenarios.DAY.plusSeconds(3600 + random.nextInt(11 * 3600)), "sales", 0));
        }
        leads.sort(Comparator.comparing(ScenarioLead::arrival));
        return new Scenario("steady stream", TestScenarios.DAY, List.of(SimulatedRep.scheduled(rep, behaviour,
                TestScenarios.DAY, seed)), leads, behaviour);
    }
}
