package io.leadrouter.routing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A calendar of holidays: whole local days on which the reps it applies to are out, like out of office. It applies to
 * the reps of a listed team and to those whose region is listed, a country covering its subdivisions ({@code DE} covers
 * {@code DE-BY}); a calendar that lists neither applies to every rep.
 *
 * @param dates the days off, each a whole day in the rep's own timezone
 */
public record HolidayCalendar(String name, Set<LocalDate> dates, Set<String> teams, Set<String> regions) {

    public HolidayCalendar {
        dates = Set.copyOf(dates);
        teams = Set.copyOf(teams);
        regions = Set.copyOf(regions);
    }

    /** Whether the calendar applies to a rep of these teams and region (null: none). */
    public boolean appliesTo(List<String> repTeams, String region) {
        if (teams.isEmpty() && regions.isEmpty()) {
            return true;
        }
        if (repTeams.stream().anyMatch(teams::contains)) {
            return true;
        }
        if (region == null) {
            return false;
        }
        int dash = region.indexOf('-');
        return regions.contains(region) || (dash > 0 && regions.contains(region.substring(0, dash)));
    }

    /**
     * The calendar that makes the rep's local day at {@code now} a holiday, if any: the one resolution of holidays the
     * service and the replay share (both ask the engine, which asks this).
     */
    public static Optional<HolidayCalendar> holidayOf(List<HolidayCalendar> calendars, RepFacts rep, Instant now) {
        if (calendars.isEmpty()) {
            return Optional.empty();
        }
        LocalDate day = LocalDate.ofInstant(now, rep.zone());
        return calendars.stream().filter(c -> c.dates().contains(day) && c.appliesTo(rep.teams(), rep.region())).findFirst();
    }
}
