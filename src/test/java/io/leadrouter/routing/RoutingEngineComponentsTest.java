package io.leadrouter.routing;

import static io.leadrouter.routing.RoutingEngineTest.NOW;
import static io.leadrouter.routing.RoutingEngineTest.RULES;
import static io.leadrouter.routing.RoutingEngineTest.lead;
import static io.leadrouter.routing.RoutingEngineTest.rep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;


/** Each hard constraint and each score component on its own, at the points its definition names. */
class RoutingEngineComponentsTest {

    final RoutingEngine engine = new RoutingEngine();

    /** NOW is Sunday 12:00 UTC: 21:00 in Tokyo, 07:00 in New York. */
    static final Map<DayOfWeek, List<RepFacts.Window>> SUNDAY_OFFICE_HOURS = Map.of(DayOfWeek.SUNDAY,
            List.of(new RepFacts.Window(LocalTime.of(9, 0), LocalTime.of(17, 0))));

    static Stream<Arguments> exclusions() {
        return Stream.of(
                Arguments.of(Exclusion.INACTIVE, lead(), rep("a", Map.of("active", false))),
                Arguments.of(Exclusion.OTHER_TEAM, lead(), rep("a", Map.of("team", "support"))),
                Arguments.of(Exclusion.DECLINED_BEFORE, lead(Map.of("declinedBy", Set.of("a"))), rep("a")),
                Arguments.of(Exclusion.MISSED_BEFORE, lead(Map.of("missedBy", Set.of("a"))), rep("a")),
                Arguments.of(Exclusion.MISSING_SKILL, lead(Map.of("requiredSkills", Map.of("saas", 4, "fintech", 1))),
                        rep("a", Map.of("skills", Map.of("saas", 5)))),
                Arguments.of(Exclusion.LANGUAGE, lead(Map.of("language", "de")), rep("a", Map.of("languages", Set.of("en", "fr")))),
                Arguments.of(Exclusion.TERRITORY, lead(Map.of("country", "US", "region", "CA", "postalCode", "90012")),
                        rep("a", Map.of("territories", Set.of("US:941", "US-NY", "CA")))),
                Arguments.of(Exclusion.TIER, lead(Map.of("tiers", Set.of(1, 2))), rep("a", Map.of("tier", 3))),
                Arguments.of(Exclusion.OUT_OF_OFFICE, lead(),
                        rep("a", Map.of("outOfOffice", List.of(new RepFacts.Absence(NOW, NOW.plusSeconds(1)))))),
                Arguments.of(Exclusion.HOLIDAY, lead(), rep("a").withTeams(List.of("sales"), "AQ")),
                Arguments.of(Exclusion.OUTSIDE_HOURS, lead(),
                        rep("a", Map.of("workingHours", SUNDAY_OFFICE_HOURS, "zone", ZoneId.of("Asia/Tokyo")))),
                Arguments.of(Exclusion.NOT_AVAILABLE, lead(), rep("a", Map.of("presence", Presence.BUSY))),
                Arguments.of(Exclusion.DISCONNECTED, lead(), rep("a", Map.of("connected", false))),
                Arguments.of(Exclusion.PAUSED, lead(), rep("a", Map.of("paused", true))),
                Arguments.of(Exclusion.AT_CAPACITY, lead(Map.of("loadPoints", 3)), rep("a", Map.of("maxLoad", 4, "activeLoad", 2))),
                Arguments.of(Exclusion.CAP_REACHED, lead(),
                        rep("a", Map.of("caps", new RepFacts.Caps(2, null, null), "usage", new RepFacts.Caps(2, 2, 2)))),
                Arguments.of(Exclusion.CAP_REACHED, lead(),
                        rep("a", Map.of("caps", new RepFacts.Caps(5, 8, null), "usage", new RepFacts.Caps(1, 8, 8)))),
                Arguments.of(Exclusion.CAP_REACHED, lead(),
                        rep("a", Map.of("caps", new RepFacts.Caps(null, null, 0), "usage", RepFacts.Caps.ZERO))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exclusions")
    void eachHardConstraintExcludesWithItsNamedReasonAndADetail(Exclusion expected, LeadFacts lead, RepFacts rep) {
        CandidateTrace trace = engine.exclusion(lead, rep, RULES, NOW).orElseThrow();
        assertThat(trace.exclusion()).isEqualTo(expected);
        assertThat(trace.eligible()).isFalse();
        assertThat(trace.detail()).isNotBlank();
    }

    @Test
    void theExclusionTableNamesEveryConstraint() {
        Set<Exclusion> covered = EnumSet.noneOf(Exclusion.class);
        exclusions().forEach(row -> covered.add((Exclusion) row.get()[0]));
        assertThat(covered).containsExactlyInAnyOrder(Exclusion.values());
    }

    @Test
    void workingHoursAreReadInTheRepsZone() {
        RepFacts inUtc = rep("a", Map.of("workingHours", SUNDAY_OFFICE_HOURS));
        RepFacts inTokyo = rep("a", Map.of("workingHours", SUNDAY_OFFICE_HOURS, "zone", ZoneId.of("Asia/Tokyo")));
        assertThat(engine.exclusion(lead(), inUtc, RULES, NOW)).isEmpty();
        assertThat(engine.exclusion(lead(), inTokyo, RULES, NOW).orElseThrow().detail()).contains("2026-11-22T21:00", "Asia/Tokyo");
    }

    @Test
    void capsNameThePeriodReached() {
        assertThat(RoutingEngine.capReached(new RepFacts.Caps(2, null, null), new RepFacts.Caps(2, 2, 2))).startsWith("day cap");
        assertThat(RoutingEngine.capReached(new RepFacts.Caps(5, 8, null), new RepFacts.Caps(1, 8, 8))).startsWith("week cap");
        assertThat(RoutingEngine.capReached(new RepFacts.Caps(null, null, 10), new RepFacts.Caps(0, 0, 10))).startsWith("month cap");
        assertThat(RoutingEngine.capReached(new RepFacts.Caps(3, 10, 20), new RepFacts.Caps(2, 9, 19))).isNull();
        assertThat(RoutingEngine.capReached(RepFacts.Caps.NONE, new RepFacts.Caps(99, 99, 99))).isNull();
    }

    static Stream<Arguments> skillFits() {
        return Stream.of(
                Arguments.of("no required skills: neutral", Map.of(), Map.of("saas", 5), 0.5),
                Arguments.of("level over 5", Map.of("saas", 1), Map.of("saas", 3), 0.6),
                Arguments.of("mean over the required skills", Map.of("saas", 1, "fintech", 1), Map.of("saas", 5, "fintech", 2), 0.7),
                Arguments.of("a missing skill counts 0", Map.of("saas", 1, "fintech", 1), Map.of("saas", 4), 0.4),
                Arguments.of("skills the lead does not need are ignored", Map.of("saas", 1), Map.of("saas", 5, "fintech", 1), 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("skillFits")
    void skillFitIsTheMeanProficiency(String name, Map<String, Integer> required, Map<String, Integer> skills, double expected) {
        assertThat(RoutingEngine.skillFit(lead(Map.of("requiredSkills", required)), rep("a", Map.of("skills", skills))))
                .isCloseTo(expected, within(1e-9));
    }

    static Stream<Arguments> languageFits() {
        return Stream.of(
                Arguments.of("speaks it", "de", Set.of("en", "de"), 1.0),
                Arguments.of("does not speak it", "de", Set.of("en"), 0.0),
                Arguments.of("lead names no language", null, Set.of("en"), 0.5),
                Arguments.of("rep names no languages", "de", Set.of(), 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languageFits")
    void languageFit(String name, String language, Set<String> languages, double expected) {
        LeadFacts lead = language == null ? lead() : lead(Map.of("language", language));
        assertThat(RoutingEngine.languageFit(lead, rep("a", Map.of("languages", languages)))).isEqualTo(expected);
    }

    static Stream<Arguments> territoryFits() {
        Map<String, Object> sanFrancisco = Map.of("country", "US", "region", "CA", "postalCode", "94105");
        return Stream.of(
                Arguments.of("postal prefix", sanFrancisco, Set.of("US:941"), 1.0),
                Arguments.of("region", sanFrancisco, Set.of("US-CA"), 0.75),
                Arguments.of("country", sanFrancisco, Set.of("US"), 0.5),
                Arguments.of("no territories: covers all, specialises in none", sanFrancisco, Set.of(), 0.25),
                Arguments.of("not covered", sanFrancisco, Set.of("US:100", "US-NY", "DE"), 0.0),
                Arguments.of("the most specific of several", sanFrancisco, Set.of("US", "US-CA", "US:941"), 1.0),
                Arguments.of("a postal prefix of another country", sanFrancisco, Set.of("DE:941"), 0.0),
                Arguments.of("postal code compared without case or spaces", Map.of("country", "GB", "postalCode", "sw1a 1aa"),
                        Set.of("GB:SW1A1"), 1.0),
                Arguments.of("lead without a country: neutral", Map.of(), Set.of("US"), 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("territoryFits")
    void territoryFitBySpecificity(String name, Map<String, Object> place, Set<String> territories, double expected) {
        assertThat(RoutingEngine.territoryFit(lead(place), rep("a", Map.of("territories", territories)))).isEqualTo(expected);
    }

    static Stream<Arguments> valueTierFits() {
        return Stream.of(
                Arguments.of("the ideal tier", 80_000.0, 1, 1.0),
                Arguments.of("one tier away", 80_000.0, 2, 2 / 3.0),
                Arguments.of("two tiers away", 80_000.0, 3, 1 / 3.0),
                Arguments.of("three or more tiers away", 80_000.0, 5, 0.0),
                Arguments.of("ideal tier of a lower threshold", 10_000.0, 3, 1.0),
                Arguments.of("below every threshold: neutral", 500.0, 1, 0.5),
                Arguments.of("unknown value: neutral", null, 1, 0.5),
                Arguments.of("rep without a tier: neutral", 80_000.0, null, 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueTierFits")
    void valueTierFitByTierDistance(String name, Double value, Integer tier, double expected) {
        RoutingRules rules = new RoutingRules(true, true, Weights.DEFAULT,
                List.of(new RoutingRules.ValueTier(50_000, 1), new RoutingRules.ValueTier(5_000, 3)), Duration.ofHours(1), List.of());
        LeadFacts lead = value == null ? lead() : lead(Map.of("value", value));
        RepFacts rep = tier == null ? rep("a") : rep("a", Map.of("tier", tier));
        assertThat(RoutingEngine.valueTierFit(lead, rep, rules)).isCloseTo(expected, within(1e-9));
    }

    static Stream<Arguments> fairnessPoints() {
        // a team of weight 4 with 19 assigned: with this lead, a weight-1 rep's share is 5
        return Stream.of(
                Arguments.of("exactly on share", 1.0, 5L, 19L, 4.0, 0.5),
                Arguments.of("behind its share", 1.0, 3L, 19L, 4.0, 0.7),
                Arguments.of("nothing yet", 1.0, 0L, 19L, 4.0, 1.0),
                Arguments.of("ahead of its share", 1.0, 7L, 19L, 4.0, 0.3),
                Arguments.of("far ahead: floored at 0", 1.0, 20L, 19L, 4.0, 0.0),
                Arguments.of("double weight, double share", 2.0, 10L, 19L, 4.0, 0.5),
                Arguments.of("a share below one lead scales by one", 1.0, 0L, 0L, 4.0, 0.625),
                Arguments.of("no team weight: neutral", 1.0, 3L, 19L, 0.0, 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fairnessPoints")
    void fairnessIsTheDeficitAgainstTheWeightedShare(String name, double weight, long assigned, long teamAssigned,
            double teamWeight, double expected) {
        RepFacts rep = rep("a", Map.of("weight", weight, "assigned", assigned));
        assertThat(RoutingEngine.fairness(rep, teamAssigned, teamWeight)).isCloseTo(expected, within(1e-9));
    }

    static Stream<Arguments> idlePoints() {
        return Stream.of(
                Arguments.of("never assigned", null, 1.0),
                Arguments.of("just assigned", Duration.ZERO, 0.0),
                Arguments.of("idle half the saturation", Duration.ofMinutes(30), 0.5),
                Arguments.of("idle past saturation", Duration.ofHours(5), 1.0),
                Arguments.of("assigned after now (clock skew): floored at 0", Duration.ofMinutes(-5), 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idlePoints")
    void idleSaturatesAtThePolicysIdleTime(String name, Duration idleFor, double expected) {
        RepFacts rep = idleFor == null ? rep("a") : rep("a", Map.of("lastAssignedAt", NOW.minus(idleFor)));
        assertThat(RoutingEngine.idle(rep, RULES, NOW)).isEqualTo(expected);
    }

    static Stream<Arguments> headroomPoints() {
        return Stream.of(
                Arguments.of("empty, one point of four", 4, 0, 1, 0.75),
                Arguments.of("half loaded", 4, 1, 1, 0.5),
                Arguments.of("full after this lead", 4, 2, 2, 0.0),
                Arguments.of("a heavy lead takes more room", 10, 0, 3, 0.7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headroomPoints")
    void headroomIsTheLoadLeftAfterThisLead(String name, int maxLoad, int activeLoad, int loadPoints, double expected) {
        RepFacts rep = rep("a", Map.of("maxLoad", maxLoad, "activeLoad", activeLoad));
        Ranking ranking = engine.rank(lead(Map.of("loadPoints", loadPoints)), List.of(rep), RULES, NOW);
        assertThat(ranking.candidates().get(0).components()).containsEntry("headroom", expected);
    }
}
