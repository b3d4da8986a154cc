package io.leadrouter.rep;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.HashSet;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.IanaZone;
import io.leadrouter.common.IsoLanguage;
import io.leadrouter.common.Problem;

/**
 * The rep document of {@code PUT /reps/{repId}}. An absent field means no restriction; the
 * exception is {@code maxLoad}, which defaults to 1 (one lead at a time). {@code crmIds} names the rep in each CRM
 * the owner is written back to: the Salesforce user (or queue) id and the HubSpot owner id.
 */
public record RepDocument(
        @Size(max = 200) String name,
        @Email @Size(max = 320) String email,
        @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be a team name of letters, digits, . _ -") String team,
        @Size(min = 1, max = 10) List<@NotNull @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$",
                message = "must be a team name of letters, digits, . _ -") String> teams,
        @Pattern(regexp = "^[A-Z]{2}(-[A-Z0-9]{1,3})?$", message = "must be an ISO country (DE) or subdivision (DE-BY) code")
                String region,
        @Min(1) @Max(10) Integer tier,
        @Size(max = 50) Map<@Pattern(regexp = "^[a-z0-9_.-]{1,50}$", message = "must be a skill name of a-z, 0-9, _ . -") String,
                @NotNull @Min(1) @Max(5) Integer> skills,
        @Size(max = 20) List<@NotNull @IsoLanguage String> languages,
        @Size(max = 200) List<@NotNull @Pattern(regexp = "^[A-Z]{2}(-[A-Z0-9]{1,3}|:[A-Z0-9]{1,10})?$",
                message = "must be a country (US), country-region (US-CA) or country:postal-prefix (US:941) code") String> territories,
        @IanaZone String timezone,
        Map<@Pattern(regexp = "^(mon|tue|wed|thu|fri|sat|sun)$", message = "must be a weekday: mon tue wed thu fri sat sun") String,
                @NotNull @Size(max = 4) List<@NotNull @Valid TimeRange>> workingHours,
        @Size(max = 100) List<@NotNull @Valid Period> outOfOffice,
        @Min(0) @Max(1000) Integer maxLoad,
        @Valid Caps caps,
        @Positive @DecimalMax("1000") Double weight,
        Boolean active,
        @Size(max = 2) Map<@Pattern(regexp = "^(salesforce|hubspot)$", message = "must be salesforce or hubspot") String,
                @NotNull @Pattern(regexp = "^[A-Za-z0-9]{1,64}$", message = "must be the CRM's user or owner id") String> crmIds) {

    /** One working interval of a weekday, local time of the rep's timezone. */
    public record TimeRange(
            @NotNull @Pattern(regexp = "^([01][0-9]|2[0-3]):[0-5][0-9]$", message = "must be HH:mm") String start,
            @NotNull @Pattern(regexp = "^([01][0-9]|2[0-3]):[0-5][0-9]|24:00$", message = "must be HH:mm") String end) {

        @JsonIgnore
        @AssertTrue(message = "must be after start")
        public boolean isEndAfterStart() {
            return start == null || end == null || start.compareTo(end) < 0;
        }
    }

    /** An out-of-office period. */
    public record Period(@NotNull Instant from, @NotNull Instant to) {

        @JsonIgnore
        @AssertTrue(message = "must be after from")
        public boolean isToAfterFrom() {
            return from == null || to == null || from.isBefore(to);
        }
    }

    /** Most leads a rep may be assigned per day, week and month (in the rep's timezone). */
    public record Caps(@Min(0) Integer day, @Min(0) Integer week, @Min(0) Integer month) {
    }

    /**
     * The rep's teams in its order: {@code teams}, else {@code team} alone, else {@code defaultTeam}.
     */
    public List<String> teamsOr(String defaultTeam) {
        return teams != null ? teams : List.of(team != null ? team : defaultTeam);
    }

    /**
     * Why {@code team} and {@code teams} cannot both stand, or null: {@code team} is the one-team form of {@code teams},
     * so given both it must be the first of them; and a team is listed once.
     */
    public DomainException teamConflict() {
        if (teams == null) {
            return null;
        }
        if (team != null && !teams.isEmpty() && !team.equals(teams.get(0))) {
            return new DomainException(DomainException.Kind.UNPROCESSABLE, "TEAM_MISMATCH", "team is the one-team form of teams: "
                    + "given both, team must be the first of teams", List.of(new Problem.FieldError("team",
                            "must be teams[0] (" + teams.get(0) + ") or be left out")));
        }
        if (new HashSet<>(teams).size() != teams.size()) {
            return new DomainException(DomainException.Kind.UNPROCESSABLE, "DUPLICATE_TEAM", "A team is listed twice in teams",
                    List.of(new Problem.FieldError("teams", "must list each team once")));
        }
        return null;
    }

    public int maxLoadOrDefault() {
        return maxLoad == null ? 1 : maxLoad;
    }

    public boolean activeOrDefault() {
        return active == null || active;
    }
}
