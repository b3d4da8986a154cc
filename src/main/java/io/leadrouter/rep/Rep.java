package io.leadrouter.rep;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.leadrouter.routing.Presence;
import io.leadrouter.routing.RepFacts;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "rep")
public class Rep extends PanacheEntityBase {

    /** What a rep id may be (the table's CHECK says the same). */
    public static final String ID_PATTERN = "^[A-Za-z0-9._@-]{1,100}$";
    public static final String ID_RULE = "must be 1 to 100 of letters, digits, . _ @ -";

    @Id
    public String id;
    public String name;
    public String email;
    /** The first of {@link #teams}: the one team of readers that know one. */
    public String team;
    /** Every team of the rep, in its order. */
    public String[] teams;
    public Integer tier;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> skills;
    public String[] languages;
    public String[] territories;
    @Column(name = "max_load")
    public int maxLoad;
    public double weight;
    public boolean active;
    /** The document as last written, so fields routing does not use yet are kept and returned. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> document;
    @Enumerated(EnumType.STRING)
    public Presence presence;
    @Column(name = "presence_lapses_at")
    public Instant presenceLapsesAt;
    @Column(name = "active_load")
    public int activeLoad;
    @Column(name = "last_assigned_at")
    public Instant lastAssignedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The epoch of the rep's valid tokens, read-only here: only its own statements raise it, a flush never writes it. */
    @Column(name = "token_epoch", insertable = false, updatable = false)
    public long tokenEpoch;
    /** When a manager paused the rep (null: not paused), who and why; read-only here, written by the pause statements only. */
    @Column(name = "paused_at", insertable = false, updatable = false)
    public Instant pausedAt;
    @Column(name = "paused_by", insertable = false, updatable = false)
    public String pausedBy;
    @Column(name = "paused_reason", insertable = false, updatable = false)
    public String pausedReason;

    /** Connected means at least one live socket: presence is set and not in its grace period. */
    public boolean connected() {
        return presence != Presence.OFFLINE && presenceLapsesAt == null;
    }

    /**
     * The rep as routing sees it.
     *
     * @param document the rep's document, for timezone, working hours, absences and caps
     * @param usage leads assigned or under offer in the rep's current day, week and month
     * @param assignedInFairnessPeriod leads assigned in the team's fairness period
     */
    public RepFacts facts(RepDocument document, RepFacts.Caps usage, long assignedInFairnessPeriod) {
        Map<DayOfWeek, List<RepFacts.Window>> hours = new EnumMap<>(DayOfWeek.class);
        if (document.workingHours() != null) {
            document.workingHours().forEach((day, ranges) -> hours.put(WEEKDAYS.get(day), ranges.stream()
                    .map(r -> new RepFacts.Window(LocalTime.parse(r.start()), r.end().equals("24:00") ? null : LocalTime.parse(r.end())))
                    .toList()));
        }
        List<RepFacts.Absence> absences = document.outOfOffice() == null ? List.of()
                : document.outOfOffice().stream().map(p -> new RepFacts.Absence(p.from(), p.to())).toList();
        RepDocument.Caps caps = document.caps();
        return new RepFacts(id, team, active, presence, connected(), maxLoad, activeLoad,
                skills == null ? Map.of() : skills,
                new HashSet<>(Arrays.asList(languages == null ? new String[0] : languages)),
                new HashSet<>(Arrays.asList(territories == null ? new String[0] : territories)), tier, weight,
                document.timezone() == null ? ZoneOffset.UTC : ZoneId.of(document.timezone()), hours, absences,
                caps == null ? RepFacts.Caps.NONE : new RepFacts.Caps(caps.day(), caps.week(), caps.month()), usage,
                lastAssignedAt, assignedInFairnessPeriod, teams(), document.region(), pausedAt != null);
    }

    /** The rep's teams in its order ({@link #team} alone for a row read without them). */
    public List<String> teams() {
        return teams == null || teams.length == 0 ? List.of(team) : List.of(teams);
    }

    private static final Map<String, DayOfWeek> WEEKDAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);
}
