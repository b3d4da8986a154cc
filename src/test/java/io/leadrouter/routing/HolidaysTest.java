package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Problem.FieldError;
import io.leadrouter.policy.PolicyCompiler;
import io.leadrouter.policy.PolicyDocument;
import io.leadrouter.policy.TeamPolicy;

/** Holiday calendars in the engine (the rep's own day, team and region scopes) and in the compiler; reps in several teams. */
class HolidaysTest {

    final RoutingEngine engine = new RoutingEngine();

    static final HolidayCalendar CHRISTMAS = new HolidayCalendar("Christmas", Set.of(LocalDate.parse("2026-12-25")), Set.of(),
            Set.of("GB", "JP"));
    static final RoutingRules RULES = RoutingRules.DEFAULT.withHolidays(List.of(CHRISTMAS));

    static RepFacts rep(String id, String zone, String region, String... teams) {
        RepFacts base = RepFacts.of(id, teams[0], 3);
        return new RepFacts(id, teams[0], true, Presence.AVAILABLE, true, 3, 0, Map.of(), Set.of(), Set.of(), null, 1.0,
                ZoneId.of(zone), Map.of(), List.of(), base.caps(), base.usage(), null, 0, List.of(teams), region, false);
    }

    static LeadFacts lead(String team) {
        return LeadFacts.of(UUID.randomUUID(), team);
    }

    @Test
    void aHolidayIsAWholeDayInTheRepsOwnTimezone() {
        RepFacts tokyo = rep("tokyo", "Asia/Tokyo", "JP", "sales");
        RepFacts london = rep("london", "Europe/London", "GB", "sales");
        // 25 December 16:00 UTC: 01:00 on the 26th in Tokyo, so Tokyo's Christmas is over and London's is not
        Instant lateChristmas = Instant.parse("2026-12-25T16:00:00Z");
        assertThat(engine.exclusion(lead("sales"), tokyo, RULES, lateChristmas)).isEmpty();
        CandidateTrace londonOut = engine.exclusion(lead("sales"), london, RULES, lateChristmas).orElseThrow();
        assertThat(londonOut.exclusion()).isEqualTo(Exclusion.HOLIDAY);
        assertThat(londonOut.detail()).contains("Christmas").contains("2026-12-25").contains("Europe/London");
        // 24 December 16:00 UTC: already the 25th in Tokyo, still Christmas Eve in London
        Instant eve = Instant.parse("2026-12-24T16:00:00Z");
        assertThat(engine.exclusion(lead("sales"), tokyo, RULES, eve).orElseThrow().exclusion()).isEqualTo(Exclusion.HOLIDAY);
        assertThat(engine.exclusion(lead("sales"), london, RULES, eve)).isEmpty();
    }

    @Test
    void aCalendarAppliesToItsTeamsAndRegionsAndACountryCoversItsSubdivisions() {
        HolidayCalendar german = new HolidayCalendar("DE public", Set.of(LocalDate.parse("2026-12-26")), Set.of("dach"),
                Set.of("DE", "AT"));
        assertThat(german.appliesTo(List.of("dach"), null)).isTrue();
        assertThat(german.appliesTo(List.of("emea", "dach"), null)).as("a later team of the rep counts too").isTrue();
        assertThat(german.appliesTo(List.of("emea"), "DE-BY")).as("DE covers DE-BY").isTrue();
        assertThat(german.appliesTo(List.of("emea"), "AT")).isTrue();
        assertThat(german.appliesTo(List.of("emea"), "CH")).isFalse();
        assertThat(german.appliesTo(List.of("emea"), null)).isFalse();
        HolidayCalendar bavarian = new HolidayCalendar("Bavaria", Set.of(LocalDate.parse("2026-08-15")), Set.of(), Set.of("DE-BY"));
        assertThat(bavarian.appliesTo(List.of("emea"), "DE-BY")).isTrue();
        assertThat(bavarian.appliesTo(List.of("emea"), "DE")).as("a subdivision does not cover its country").isFalse();
        assertThat(bavarian.appliesTo(List.of("emea"), "DE-BE")).isFalse();
        HolidayCalendar everyone = new HolidayCalendar("Company day", Set.of(LocalDate.parse("2026-07-01")), Set.of(), Set.of());
        assertThat(everyone.appliesTo(List.of("emea"), null)).isTrue();
    }

    @Test
    void aRepOnHolidayIsNotOfferedCountsAsUnableToTakeWorkAndMayStillPull() {
        RoutingRules rules = RoutingRules.DEFAULT.withHolidays(List.of(new HolidayCalendar("DACH day",
                Set.of(LocalDate.parse("2026-12-26")), Set.of("dach"), Set.of())));
        Instant boxingDay = Instant.parse("2026-12-26T10:00:00Z");
        RepFacts dach = rep("a", "Europe/Berlin", null, "dach");
        RepFacts emea = rep("b", "Europe/Berlin", null, "emea", "dach");
        RepFacts other = rep("c", "Europe/Berlin", null, "emea");
        LeadFacts lead = lead("emea");
        Ranking ranking = engine.rank(lead, List.of(emea, other), rules, boxingDay);
        assertThat(ranking.ranked()).as("b is in dach too, so its calendar applies").containsExactly("c");
        Ranking onlyOnHoliday = engine.rank(lead("dach"), List.of(dach), rules, boxingDay);
        assertThat(onlyOnHoliday.ranked()).isEmpty();
        assertThat(onlyOnHoliday.anyFreeCapacity()).as("like out of office: nobody could take work").isFalse();
        assertThat(onlyOnHoliday.nobodyQualifies()).as("not lasting: the lead waits, it is not held").isFalse();
        assertThat(engine.leadExclusion(lead("dach"), dach, rules, boxingDay)).as("pulling is an explicit request").isEmpty();
    }

    @Test
    void aRepInSeveralTeamsIsOfferedLeadsOfEachAndIsFairWithinEach() {
        RepFacts both = rep("both", "UTC", null, "emea", "dach");
        assertThat(engine.exclusion(lead("emea"), both, RoutingRules.DEFAULT, Instant.now())).isEmpty();
        assertThat(engine.exclusion(lead("dach"), both, RoutingRules.DEFAULT, Instant.now())).isEmpty();
        CandidateTrace elsewhere = engine.exclusion(lead("apac"), both, RoutingRules.DEFAULT, Instant.now()).orElseThrow();
        assertThat(elsewhere.exclusion()).isEqualTo(Exclusion.OTHER_TEAM);
        assertThat(elsewhere.detail()).isEqualTo("rep is in teams emea, dach, lead in apac");
        Ranking ranking = engine.rank(lead("dach"), List.of(both, rep("dach-only", "UTC", null, "dach")), RoutingRules.DEFAULT,
                Instant.now());
        assertThat(ranking.ranked()).containsExactlyInAnyOrder("both", "dach-only");
    }

    @Test
    void theCompilerBoundsCalendarsAndNamesTheBadField() throws Exception {
        PolicyCompiler compiler = new PolicyCompiler(TeamPolicy.builtIn(java.time.Duration.ofSeconds(30), 3,
                new ModeHysteresis(3, 1)));
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        PolicyDocument good = json.readValue("""
                {"holidays": [{"name": "DE public", "dates": ["2026-12-25", "2026-12-26"], "teams": ["dach"], "regions": ["DE", "AT"]}],
                 "teams": {"dach": {"maxAttempts": 2}}}
                """, PolicyDocument.class);
        PolicyCompiler.Result compiled = compiler.compile(good, 1);
        assertThat(compiled.errors()).isEmpty();
        assertThat(compiled.policy().forTeam("dach").routing().holidays()).singleElement()
                .satisfies(c -> assertThat(c.dates()).contains(LocalDate.parse("2026-12-26")));
        assertThat(compiled.policy().forTeam("any").routing().holidays()).hasSize(1);

        PolicyDocument bad = json.readValue("""
                {"holidays": [{"name": "x", "dates": ["2026-12-25", "2026-02-30", "25.12.2026"], "regions": ["de"], "teams": ["a b"]},
                              {"name": "x", "dates": []}, {"dates": ["2026-01-01"]}]}
                """, PolicyDocument.class);
        assertThat(compiler.compile(bad, 1).errors()).extracting(FieldError::field).containsExactly("holidays[0].dates[1]",
                "holidays[0].dates[2]", "holidays[0].regions[0]", "holidays[0].teams[0]", "holidays[1].dates",
                "holidays[1].name", "holidays[2].name");

        String many = "{\"holidays\": [" + String.join(",", java.util.Collections.nCopies(51,
                "{\"name\": \"n\", \"dates\": [\"2026-01-01\"]}")) + "]}";
        assertThat(compiler.compile(json.readValue(many, PolicyDocument.class), 1).errors()).extracting(FieldError::field)
                .containsExactly("holidays");
        List<String> days = java.util.stream.IntStream.range(0, 401)
                .mapToObj(i -> LocalDate.parse("2026-01-01").plusDays(i).toString()).toList();
        PolicyDocument tooManyDates = new PolicyDocument(null, null, null, null, null, null, null,
                List.of(new PolicyDocument.Holiday("long", days, null, null)));
        assertThat(compiler.compile(tooManyDates, 1).errors()).extracting(FieldError::field).containsExactly("holidays[0].dates");
    }
}
