package io.leadrouter.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.leadrouter.routing.HolidayCalendar;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.RoutingRules;

/** The replay routes with the policy's holiday calendars and with reps in several teams, as the service does. */
class HolidayReplayTest {

    static SimulatedRep rep(String id, String zone, String region, String... teams) {
        RepFacts facts = new RepFacts(id, teams[0], true, Presence.AVAILABLE, true, 10, 0, Map.of(), Set.of(), Set.of(), null,
                1.0, ZoneId.of(zone), Map.of(), List.of(), RepFacts.Caps.NONE, RepFacts.Caps.ZERO, null, 0, List.of(teams),
                region, false);
        return new SimulatedRep(facts, TestScenarios.DAY, TestScenarios.DAY.plus(Duration.ofDays(1)), List.of());
    }

    static Map<String, Long> assigned(ReplayReport report, String team) {
        return report.reps().stream().filter(r -> r.team().equals(team))
                .collect(java.util.stream.Collectors.toMap(ReplayReport.RepRow::rep, ReplayReport.RepRow::assigned));
    }

    static ReplayReport replay(List<SimulatedRep> reps, List<ScenarioLead> leads, List<HolidayCalendar> holidays) {
        RoutingRules rules = RoutingRules.DEFAULT.withHolidays(holidays);
        return new Simulation(TestScenarios.policy(TestScenarios.team(rules, null)), "holidays", 7)
                .run(new Scenario("holidays", TestScenarios.DAY, reps, leads, BehaviourModel.alwaysAccepting(Duration.ofMinutes(1))));
    }

    @Test
    void theReplayKeepsRepsOnHolidayInTheirOwnDayOutOfRouting() {
        // 2024-01-08 20:00 UTC: already the 9th in Tokyo (the team's offsite), still the 8th in Berlin (a German holiday
        // for a Bavarian rep) and in London (a working day)
        Instant evening = TestScenarios.DAY.plus(Duration.ofHours(20));
        List<SimulatedRep> reps = List.of(rep("tokyo", "Asia/Tokyo", "JP", "sales"), rep("berlin", "Europe/Berlin", "DE-BY", "sales"),
                rep("london", "Europe/London", "GB", "sales"));
        List<ScenarioLead> leads = IntStream.range(0, 6)
                .mapToObj(i -> TestScenarios.lead("evening-" + i, evening.plusSeconds(i * 60L), "sales", 50)).toList();
        List<HolidayCalendar> holidays = List.of(
                new HolidayCalendar("Sales offsite", Set.of(LocalDate.parse("2024-01-09")), Set.of("sales"), Set.of()),
                new HolidayCalendar("DE public", Set.of(LocalDate.parse("2024-01-08")), Set.of(), Set.of("DE")));

        ReplayReport withHolidays = replay(reps, leads, holidays);
        assertThat(assigned(withHolidays, "sales")).containsEntry("london", 6L).containsEntry("tokyo", 0L).containsEntry("berlin", 0L);
        assertThat(withHolidays.violations()).isEmpty();

        ReplayReport without = replay(reps, leads, List.of());
        assertThat(assigned(without, "sales").get("london")).as("without the calendars the work is shared").isLessThan(6L);
    }

    @Test
    void aRepInSeveralTeamsTakesLeadsOfEachAndIsCountedInEach() {
        List<SimulatedRep> reps = List.of(rep("both", "UTC", null, "emea", "dach"), rep("dach-only", "UTC", null, "dach"));
        Instant morning = TestScenarios.DAY.plus(Duration.ofHours(9));
        List<ScenarioLead> leads = IntStream.range(0, 8).mapToObj(i -> TestScenarios.lead("lead-" + i,
                morning.plusSeconds(i * 120L), i % 2 == 0 ? "emea" : "dach", 50)).toList();

        ReplayReport report = replay(reps, leads, List.of());
        assertThat(assigned(report, "emea")).containsExactlyEntriesOf(Map.of("both", 4L));
        Map<String, Long> dach = assigned(report, "dach");
        assertThat(dach.keySet()).containsExactlyInAnyOrder("both", "dach-only");
        assertThat(dach.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
        assertThat(dach.get("dach-only")).as("fair within dach: both's emea leads do not count there").isEqualTo(2);
        assertThat(report.violations()).isEmpty();
    }
}
