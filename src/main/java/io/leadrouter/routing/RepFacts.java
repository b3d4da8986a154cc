package io.leadrouter.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * What routing needs to know of a rep at the moment of the decision.
 *
 * @param tier seniority, 1 the most senior; null when not set
 * @param workingHours local working windows per weekday in {@code zone}; empty: any time
 * @param caps most leads per day, week and month in {@code zone}; null entries: uncapped
 * @param usage leads assigned or under offer in the current day, week and month
 * @param assignedInFairnessPeriod leads of the team being routed assigned to the rep in its fairness period
 * @param teams every team of the rep in its order, {@code team} first; capacity and caps are shared by all of them
 * @param region the rep's ISO country ({@code DE}) or country subdivision ({@code DE-BY}), for holiday calendars; null
 *     when not set
 * @param paused a manager paused the rep: neither offered nor pulling until resumed
 */
public record RepFacts(String id, String team, boolean active, Presence presence, boolean connected, int maxLoad,
        int activeLoad, Map<String, Integer> skills, Set<String> languages, Set<String> territories, Integer tier,
        double weight, ZoneId zone, Map<DayOfWeek, List<Window>> workingHours, List<Absence> outOfOffice, Caps caps,
        Caps usage, Instant lastAssignedAt, long assignedInFairnessPeriod, List<String> teams, String region, boolean paused) {

    public RepFacts {
        teams = teams == null || teams.isEmpty() ? List.of(team) : List.copyOf(teams);
    }

    /** A rep of one team, no region, not paused (the replay's reps, which nobody pauses). */
    public RepFacts(String id, String team, boolean active, Presence presence, boolean connected, int maxLoad,
            int activeLoad, Map<String, Integer> skills, Set<String> languages, Set<String> territories, Integer tier,
            double weight, ZoneId zone, Map<DayOfWeek, List<Window>> workingHours, List<Absence> outOfOffice, Caps caps,
            Caps usage, Instant lastAssignedAt, long assignedInFairnessPeriod) {
        this(id, team, active, presence, connected, maxLoad, activeLoad, skills, languages, territories, tier, weight, zone,
                workingHours, outOfOffice, caps, usage, lastAssignedAt, assignedInFairnessPeriod, List.of(team), null, false);
    }

    /** Whether the rep works in the team (any of its teams). */
    public boolean inTeam(String name) {
        return teams.contains(name);
    }

    /** A local time window of a working day; {@code end} null means midnight at the end of the day. */
    public record Window(LocalTime start, LocalTime end) {

        boolean contains(LocalTime time) {
            return !time.isBefore(start) && (end == null || time.isBefore(end));
        }
    }

    /** An out-of-office period, {@code from} inclusive, {@code to} exclusive. */
    public record Absence(Instant from, Instant to) {
    }

    /** Counts per calendar period; as a limit, null means none. */
    public record Caps(Integer day, Integer week, Integer month) {

        public static final Caps NONE = new Caps(null, null, null);
        public static final Caps ZERO = new Caps(0, 0, 0);
    }

    /** An available, connected, unrestricted rep of the team, for tests and simulations to refine. */
    public static RepFacts of(String id, String team, int maxLoad) {
        return new RepFacts(id, team, true, Presence.AVAILABLE, true, maxLoad, 0, Map.of(), Set.of(), Set.of(), null, 1.0,
                ZoneId.of("UTC"), Map.of(), List.of(), Caps.NONE, Caps.ZERO, null, 0);
    }

    /** The same rep in another live state (what simulations change as they go). */
    public RepFacts withState(Presence presence, int activeLoad, Caps usage, Instant lastAssignedAt,
            long assignedInFairnessPeriod) {
        return new RepFacts(id, team, active, presence, connected, maxLoad, activeLoad, skills, languages, territories, tier,
                weight, zone, workingHours, outOfOffice, caps, usage, lastAssignedAt, assignedInFairnessPeriod, teams, region, paused);
    }

    /** The same rep in other teams (in its order) and region. */
    public RepFacts withTeams(List<String> inOrder, String inRegion) {
        return new RepFacts(id, inOrder.get(0), active, presence, connected, maxLoad, activeLoad, skills, languages, territories,
                tier, weight, zone, workingHours, outOfOffice, caps, usage, lastAssignedAt, assignedInFairnessPeriod, inOrder,
                inRegion, paused);
    }
}
