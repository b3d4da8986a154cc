package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;


class RoutingEngineTest {

    /** A Sunday, noon UTC. */
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    /** The defaults, and a holiday today for reps in Antarctica (region AQ), which only the HOLIDAY case has. */
    static final RoutingRules RULES = RoutingRules.DEFAULT.withHolidays(List.of(new HolidayCalendar("Antarctic day",
            Set.of(java.time.LocalDate.of(2026, 11, 22)), Set.of(), Set.of("AQ"))));
    final RoutingEngine engine = new RoutingEngine();

    static LeadFacts lead() {
        return LeadFacts.of(UUID.randomUUID(), "sales");
    }

    /** A lead with fields changed by name, for readable tests. */
    static LeadFacts lead(Map<String, Object> fields) {
        return lead(UUID.randomUUID(), fields);
    }

    /** A lead with the given id (generated leads need a reproducible one) and fields changed by name. */
    static LeadFacts lead(UUID id, Map<String, Object> fields) {
        return new LeadFacts(id, (String) fields.getOrDefault("team", "sales"), (int) fields.getOrDefault("loadPoints", 1),
                cast(fields.getOrDefault("requiredSkills", Map.of())), (String) fields.get("language"),
                (String) fields.get("country"), (String) fields.get("region"), (String) fields.get("postalCode"),
                (Double) fields.get("value"), cast(fields.getOrDefault("tiers", Set.of())),
                cast(fields.getOrDefault("declinedBy", Set.of())), cast(fields.getOrDefault("missedBy", Set.of())),
                cast(fields.getOrDefault("relaxed", Set.of())));
    }

    static RepFacts rep(String id) {
        return RepFacts.of(id, "sales", 2);
    }

    /** A rep with fields changed by name. */
    static RepFacts rep(String id, Map<String, Object> f) {
        RepFacts r = rep(id);
        String team = (String) f.getOrDefault("team", "sales");
        return new RepFacts(id, team, (boolean) f.getOrDefault("active", true),
                (Presence) f.getOrDefault("presence", Presence.AVAILABLE), (boolean) f.getOrDefault("connected", true),
                (int) f.getOrDefault("maxLoad", 2), (int) f.getOrDefault("activeLoad", 0), cast(f.getOrDefault("skills", Map.of())),
                cast(f.getOrDefault("languages", Set.of())), cast(f.getOrDefault("territories", Set.of())),
                (Integer) f.get("tier"), (double) f.getOrDefault("weight", 1.0), (ZoneId) f.getOrDefault("zone", r.zone()),
                cast(f.getOrDefault("workingHours", Map.of())), cast(f.getOrDefault("outOfOffice", List.of())),
                (RepFacts.Caps) f.getOrDefault("caps", RepFacts.Caps.NONE), (RepFacts.Caps) f.getOrDefault("usage", RepFacts.Caps.ZERO),
                (Instant) f.get("lastAssignedAt"), (long) f.getOrDefault("assigned", 0L), List.of(team), null,
                (boolean) f.getOrDefault("paused", false));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private Exclusion exclusionOf(LeadFacts lead, RepFacts rep) {
        return exclusionOf(lead, rep, RULES);
    }

    private Exclusion exclusionOf(LeadFacts lead, RepFacts rep, RoutingRules rules) {
        return engine.exclusion(lead, rep, rules, NOW).map(CandidateTrace::exclusion).orElse(null);
    }

    @Test
    void anAvailableRepWithRoomIsEligible() {
        assertThat(exclusionOf(lead(), rep("a"))).isNull();
    }

    @Test
    void eachHardConstraintExcludesWithItsReason() {
        LeadFacts lead = lead();
        assertThat(exclusionOf(lead, rep("a", Map.of("active", false)))).isEqualTo(Exclusion.INACTIVE);
        assertThat(exclusionOf(lead, rep("a", Map.of("team", "support")))).isEqualTo(Exclusion.OTHER_TEAM);
        for (Presence presence : List.of(Presence.BUSY, Presence.AWAY, Presence.OFFLINE)) {
            assertThat(exclusionOf(lead, rep("a", Map.of("presence", presence)))).isEqualTo(Exclusion.NOT_AVAILABLE);
        }
        assertThat(exclusionOf(lead, rep("a", Map.of("connected", false)))).isEqualTo(Exclusion.DISCONNECTED);
        assertThat(exclusionOf(lead, rep("a", Map.of("activeLoad", 2)))).isEqualTo(Exclusion.AT_CAPACITY);
        LeadFacts heavy = lead(Map.of("loadPoints", 2));
        assertThat(exclusionOf(heavy, rep("a", Map.of("activeLoad", 1)))).isEqualTo(Exclusion.AT_CAPACITY);
        assertThat(exclusionOf(heavy, rep("a"))).isNull();
        assertThat(exclusionOf(lead(Map.of("declinedBy", Set.of("a"))), rep("a"))).isEqualTo(Exclusion.DECLINED_BEFORE);
        assertThat(exclusionOf(lead(Map.of("missedBy", Set.of("a"))), rep("a"))).isEqualTo(Exclusion.MISSED_BEFORE);
    }

    @Test
    void skillsMustReachTheRequiredLevel() {
        LeadFacts needsSaas3 = lead(Map.of("requiredSkills", Map.of("saas", 3)));
        assertThat(exclusionOf(needsSaas3, rep("a", Map.of("skills", Map.of("saas", 2))))).isEqualTo(Exclusion.MISSING_SKILL);
        assertThat(exclusionOf(needsSaas3, rep("a"))).isEqualTo(Exclusion.MISSING_SKILL);
        assertThat(exclusionOf(needsSaas3, rep("a", Map.of("skills", Map.of("saas", 3))))).isNull();
        assertThat(exclusionOf(needsSaas3, rep("a", Map.of("skills", Map.of("saas", 5))))).isNull();
    }

    @Test
    void languageAndTerritoryApplyWhenTheLeadNamesThemTheRepIsRestrictedAndThePolicyRequiresThem() {
        LeadFacts german = lead(Map.of("language", "de", "country", "DE"));
        LeadFacts californian = lead(Map.of("country", "US", "region", "CA", "postalCode", "94105"));
        RepFacts english = rep("a", Map.of("languages", Set.of("en")));
        RepFacts usWest = rep("a", Map.of("territories", Set.of("US-CA", "US-WA")));
        RepFacts germany = rep("a", Map.of("territories", Set.of("DE")));
        RepFacts wholeUs = rep("a", Map.of("territories", Set.of("US")));
        RepFacts sanFrancisco = rep("a", Map.of("territories", Set.of("US:941")));
        RepFacts newYork = rep("a", Map.of("territories", Set.of("US:100")));

        assertThat(exclusionOf(german, english)).isEqualTo(Exclusion.LANGUAGE);
        assertThat(exclusionOf(german, rep("a"))).isNull();
        assertThat(exclusionOf(german, usWest)).isEqualTo(Exclusion.TERRITORY);
        assertThat(exclusionOf(german, germany)).isNull();
        assertThat(exclusionOf(californian, usWest)).isNull();
        // CRMs send regions in any case; territories are upper case
        assertThat(exclusionOf(lead(Map.of("country", "US", "region", "ca")), usWest)).isNull();
        assertThat(exclusionOf(californian, wholeUs)).isNull();
        assertThat(exclusionOf(californian, sanFrancisco)).isNull();
        assertThat(exclusionOf(californian, newYork)).isEqualTo(Exclusion.TERRITORY);
        assertThat(exclusionOf(californian, germany)).isEqualTo(Exclusion.TERRITORY);
        assertThat(exclusionOf(lead(Map.of("country", "US")), usWest))
                .as("a lead without a region is not inside a region-restricted territory").isEqualTo(Exclusion.TERRITORY);
        assertThat(exclusionOf(lead(), usWest)).isNull();

        RoutingRules lenient = new RoutingRules(false, false, Weights.DEFAULT, List.of(), Duration.ofHours(1), List.of());
        assertThat(exclusionOf(german, english, lenient)).as("language not required by the policy").isNull();
        assertThat(exclusionOf(german, usWest, lenient)).as("territory not required by the policy").isNull();
        assertThat(exclusionOf(lead(Map.of("language", "de", "relaxed", Set.of(Criterion.LANGUAGE))), english))
                .as("relaxed for this lead").isNull();
    }

    @Test
    void tierReservationsOutOfOfficeWorkingHoursAndCaps() {
        LeadFacts forSeniors = lead(Map.of("tiers", Set.of(1)));
        assertThat(exclusionOf(forSeniors, rep("a", Map.of("tier", 2)))).isEqualTo(Exclusion.TIER);
        assertThat(exclusionOf(forSeniors, rep("a"))).isEqualTo(Exclusion.TIER);
        assertThat(exclusionOf(forSeniors, rep("a", Map.of("tier", 1)))).isNull();

        RepFacts onLeave = rep("a", Map.of("outOfOffice", List.of(new RepFacts.Absence(NOW.minusSeconds(60), NOW.plusSeconds(60)))));
        assertThat(exclusionOf(lead(), onLeave)).isEqualTo(Exclusion.OUT_OF_OFFICE);
        RepFacts back = rep("a", Map.of("outOfOffice", List.of(new RepFacts.Absence(NOW.minusSeconds(60), NOW))));
        assertThat(exclusionOf(lead(), back)).as("the end of an absence is exclusive").isNull();

        // NOW is Sunday 12:00 UTC = Sunday 13:00 in Berlin, Sunday 07:00 in New York
        Map<DayOfWeek, List<RepFacts.Window>> weekdays = Map.of(DayOfWeek.MONDAY, List.of(new RepFacts.Window(LocalTime.of(9, 0), LocalTime.of(17, 0))));
        Map<DayOfWeek, List<RepFacts.Window>> sundayAfternoon = Map.of(DayOfWeek.SUNDAY, List.of(new RepFacts.Window(LocalTime.of(13, 0), null)));
        assertThat(exclusionOf(lead(), rep("a", Map.of("workingHours", weekdays)))).isEqualTo(Exclusion.OUTSIDE_HOURS);
        assertThat(exclusionOf(lead(), rep("a", Map.of("workingHours", sundayAfternoon, "zone", ZoneId.of("Europe/Berlin"))))).isNull();
        assertThat(exclusionOf(lead(), rep("a", Map.of("workingHours", sundayAfternoon, "zone", ZoneId.of("America/New_York")))))
                .isEqualTo(Exclusion.OUTSIDE_HOURS);

        assertThat(exclusionOf(lead(), rep("a", Map.of("caps", new RepFacts.Caps(3, null, null), "usage", new RepFacts.Caps(3, 3, 3)))))
                .isEqualTo(Exclusion.CAP_REACHED);
        assertThat(exclusionOf(lead(), rep("a", Map.of("caps", new RepFacts.Caps(null, 10, null), "usage", new RepFacts.Caps(3, 9, 9)))))
                .isNull();
        assertThat(exclusionOf(lead(), rep("a", Map.of("caps", new RepFacts.Caps(null, null, 20), "usage", new RepFacts.Caps(0, 0, 20)))))
                .isEqualTo(Exclusion.CAP_REACHED);
    }

    @Test
    void theTeamHasFreeCapacityOnlyWhenSomeRepOfItCouldTakeWorkNow() {
        Map<DayOfWeek, List<RepFacts.Window>> weekdays = Map.of(DayOfWeek.MONDAY, List.of(new RepFacts.Window(LocalTime.of(9, 0), LocalTime.of(17, 0))));
        List<RepFacts> nobodyNow = List.of(rep("off-hours", Map.of("workingHours", weekdays)),
                rep("on-leave", Map.of("outOfOffice", List.of(new RepFacts.Absence(NOW.minusSeconds(60), NOW.plusSeconds(60))))),
                rep("capped", Map.of("caps", new RepFacts.Caps(1, null, null), "usage", new RepFacts.Caps(1, 1, 1))),
                rep("full", Map.of("activeLoad", 2)), rep("busy", Map.of("presence", Presence.BUSY)),
                rep("other-team", Map.of("team", "support")));
        assertThat(engine.rank(lead(), nobodyNow, RULES, NOW).anyFreeCapacity()).isFalse();

        List<RepFacts> oneFree = new java.util.ArrayList<>(nobodyNow);
        oneFree.add(rep("free"));
        // a lead this rep cannot take still leaves the team with capacity for other leads
        assertThat(engine.rank(lead(Map.of("declinedBy", Set.of("free"))), oneFree, RULES, NOW).anyFreeCapacity()).isTrue();
    }

    @Test
    void lastingReasonsAreNamedBeforePassingOnes() {
        RepFacts awayWithoutSkill = rep("a", Map.of("presence", Presence.AWAY));
        assertThat(exclusionOf(lead(Map.of("requiredSkills", Map.of("saas", 1))), awayWithoutSkill)).isEqualTo(Exclusion.MISSING_SKILL);
        assertThat(Exclusion.MISSING_SKILL.lasting()).isTrue();
        assertThat(Exclusion.NOT_AVAILABLE.lasting()).isFalse();
    }

    @Test
    void leadExclusionIgnoresPresenceAndHoursForPullsButNotCapacityOrCaps() {
        RepFacts busy = rep("a", Map.of("presence", Presence.BUSY));
        assertThat(engine.exclusion(lead(), busy, RULES, NOW)).isPresent();
        assertThat(engine.leadExclusion(lead(), busy, RULES, NOW)).isEmpty();
        RepFacts full = rep("a", Map.of("presence", Presence.BUSY, "maxLoad", 1, "activeLoad", 1));
        assertThat(engine.leadExclusion(lead(), full, RULES, NOW).map(CandidateTrace::exclusion)).contains(Exclusion.AT_CAPACITY);
        RepFacts capped = rep("a", Map.of("caps", new RepFacts.Caps(1, null, null), "usage", new RepFacts.Caps(1, 1, 1)));
        assertThat(engine.leadExclusion(lead(), capped, RULES, NOW).map(CandidateTrace::exclusion)).contains(Exclusion.CAP_REACHED);
    }

    @Test
    void rankingTracesEveryRepWithScoreComponents() {
        RepFacts busyish = rep("busyish", Map.of("maxLoad", 4, "activeLoad", 2, "lastAssignedAt", NOW.minusSeconds(60)));
        RepFacts free = rep("free", Map.of("maxLoad", 4, "lastAssignedAt", NOW.minusSeconds(60)));
        RepFacts away = rep("away", Map.of("presence", Presence.AWAY));
        Ranking ranking = engine.rank(lead(), List.of(busyish, away, free), RULES, NOW);
        assertThat(ranking.ranked()).containsExactly("free", "busyish");
        assertThat(ranking.candidates()).extracting(CandidateTrace::repId).containsExactly("away", "busyish", "free");
        assertThat(ranking.candidates().get(0).exclusion()).isEqualTo(Exclusion.NOT_AVAILABLE);
        assertThat(ranking.candidates().get(2).components()).containsOnlyKeys("skill", "language", "territory", "valueTierFit",
                "fairness", "idle", "headroom");
        assertThat(ranking.anyFreeCapacity()).isTrue();
        assertThat(ranking.nobodyQualifies()).isFalse();

        RepFacts longIdle = rep("idle", Map.of("maxLoad", 4, "lastAssignedAt", NOW.minusSeconds(3000)));
        assertThat(engine.rank(lead(), List.of(free, longIdle), RULES, NOW).ranked()).containsExactly("idle", "free");
    }

    @Test
    void eachScoreComponentPrefersTheBetterFit() {
        LeadFacts lead = lead(Map.of("requiredSkills", Map.of("saas", 2), "language", "de", "country", "US", "region", "CA",
                "postalCode", "94105", "value", 80_000.0));
        RoutingRules rules = new RoutingRules(false, false, Weights.DEFAULT,
                List.of(new RoutingRules.ValueTier(50_000, 1), new RoutingRules.ValueTier(0, 3)), Duration.ofHours(1), List.of());
        assertThat(RoutingEngine.skillFit(lead, rep("a", Map.of("skills", Map.of("saas", 5)))))
                .isGreaterThan(RoutingEngine.skillFit(lead, rep("a", Map.of("skills", Map.of("saas", 2)))));
        assertThat(RoutingEngine.languageFit(lead, rep("a", Map.of("languages", Set.of("de"))))).isEqualTo(1);
        assertThat(RoutingEngine.languageFit(lead, rep("a", Map.of("languages", Set.of("en"))))).isZero();
        double postal = RoutingEngine.territoryFit(lead, rep("a", Map.of("territories", Set.of("US:941"))));
        double region = RoutingEngine.territoryFit(lead, rep("a", Map.of("territories", Set.of("US-CA"))));
        double country = RoutingEngine.territoryFit(lead, rep("a", Map.of("territories", Set.of("US"))));
        double anywhere = RoutingEngine.territoryFit(lead, rep("a"));
        assertThat(List.of(postal, region, country, anywhere)).isSortedAccordingTo((x, y) -> Double.compare(y, x)).doesNotHaveDuplicates();
        assertThat(RoutingEngine.valueTierFit(lead, rep("a", Map.of("tier", 1)), rules)).isEqualTo(1);
        assertThat(RoutingEngine.valueTierFit(lead, rep("a", Map.of("tier", 3)), rules)).isLessThan(0.5);
        assertThat(RoutingEngine.fairness(rep("a", Map.of("assigned", 2L)), 20, 4))
                .as("behind its share of 5.25").isGreaterThan(RoutingEngine.fairness(rep("a", Map.of("assigned", 8L)), 20, 4));
        assertThat(RoutingEngine.fairness(rep("a", Map.of("weight", 2.0, "assigned", 8L)), 20, 5))
                .as("a weight of 2 in 5 earns a larger share").isGreaterThan(RoutingEngine.fairness(rep("a", Map.of("assigned", 8L)), 20, 5));
    }

    @Test
    void weightsDecideWhichFitMatters() {
        LeadFacts german = lead(Map.of("language", "de"));
        RepFacts speaker = rep("speaker", Map.of("languages", Set.of("de"), "assigned", 5L));
        RepFacts behind = rep("behind", Map.of("assigned", 0L));
        Weights languageOnly = new Weights(0, 1, 0, 0, 0, 0, 0);
        Weights fairnessOnly = new Weights(0, 0, 0, 0, 1, 0, 0);
        RoutingRules notRequired = new RoutingRules(true, false, languageOnly, List.of(), Duration.ofHours(1), List.of());
        assertThat(engine.rank(german, List.of(speaker, behind), notRequired, NOW).ranked().get(0)).isEqualTo("speaker");
        RoutingRules fair = new RoutingRules(true, false, fairnessOnly, List.of(), Duration.ofHours(1), List.of());
        assertThat(engine.rank(german, List.of(speaker, behind), fair, NOW).ranked().get(0)).isEqualTo("behind");
    }

    @Test
    void tiesAreSpreadOverTheRepsNotGivenByRosterOrderAndAreTheSameEveryRun() {
        List<RepFacts> equals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            equals.add(rep("r" + i));
        }
        Map<String, Integer> firstPlaces = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            LeadFacts lead = lead();
            String first = engine.rank(lead, equals, RULES, NOW).ranked().get(0);
            assertThat(engine.rank(lead, List.of(equals.get(3), equals.get(1), equals.get(0), equals.get(2)), RULES, NOW).ranked().get(0))
                    .as("the same lead and reps decide the same whatever the roster order").isEqualTo(first);
            firstPlaces.merge(first, 1, Integer::sum);
        }
        assertThat(firstPlaces).hasSize(4);
        assertThat(firstPlaces.values()).allSatisfy(count -> assertThat(count).isBetween(60, 140));
    }

    @Test
    void tiesBetweenRepsWhoseIdsHashAlikeDoNotDependOnRosterOrder() {
        RepFacts aa = rep("rep-Aa");
        RepFacts bb = rep("rep-BB");
        assertThat(aa.id().hashCode()).as("the case needs colliding hashes").isEqualTo(bb.id().hashCode());
        LeadFacts lead = lead();
        assertThat(engine.rank(lead, List.of(bb, aa), RULES, NOW).ranked())
                .isEqualTo(engine.rank(lead, List.of(aa, bb), RULES, NOW).ranked());
    }

    @Test
    void theFallbackChainRelaxesOneCriterionAtATimeUntilSomeoneQualifies() {
        LeadFacts lead = lead(Map.of("language", "de", "country", "DE"));
        RepFacts french = rep("fr", Map.of("languages", Set.of("fr"), "territories", Set.of("FR")));
        RoutingRules chain = RULES.withFallback(List.of(Criterion.TERRITORY, Criterion.LANGUAGE, Criterion.SKILLS));
        Ranking ranking = engine.rank(lead, List.of(french), chain, NOW);
        assertThat(ranking.ranked()).containsExactly("fr");
        assertThat(ranking.relaxed()).containsExactly(Criterion.TERRITORY, Criterion.LANGUAGE);
        assertThat(ranking.nobodyQualifies()).isFalse();

        Ranking strict = engine.rank(lead, List.of(french), RULES, NOW);
        assertThat(strict.ranked()).isEmpty();
        assertThat(strict.nobodyQualifies()).as("no chain: straight to the holding pool").isTrue();

        RepFacts frenchAway = rep("fr", Map.of("languages", Set.of("fr"), "territories", Set.of("FR"), "presence", Presence.AWAY));
        Ranking waiting = engine.rank(lead, List.of(frenchAway), chain, NOW);
        assertThat(waiting.ranked()).isEmpty();
        assertThat(waiting.nobodyQualifies()).as("relaxed, the rep qualifies but is away: the lead waits").isFalse();

        Ranking declined = engine.rank(lead(Map.of("declinedBy", Set.of("fr"))), List.of(french), chain, NOW);
        assertThat(declined.relaxed()).as("relaxing cannot lift a decline").isEmpty();
        assertThat(declined.nobodyQualifies()).isTrue();

        assertThat(engine.rank(lead, List.of(), chain, NOW).nobodyQualifies()).as("a team without reps waits for one").isFalse();
    }
}
