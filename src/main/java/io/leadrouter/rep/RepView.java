package io.leadrouter.rep;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.leadrouter.routing.Presence;

/**
 * A rep as the API returns it: the document as written, plus live presence, load and cap usage, and the manager's pause
 * ({@code paused}, null when the rep is not paused).
 */
public record RepView(String id, String name, String email, String team, List<String> teams, String region, Integer tier, Map<String, Integer> skills,
        List<String> languages, List<String> territories, String timezone,
        Map<String, List<RepDocument.TimeRange>> workingHours, List<RepDocument.Period> outOfOffice, int maxLoad,
        RepDocument.Caps caps, double weight, boolean active, Map<String, String> crmIds, Presence presence, boolean connected, int activeLoad,
        CapUsage capUsage, Instant lastAssignedAt, Instant createdAt, Instant updatedAt, Pause paused) {

    /** Who paused the rep, when and why. */
    public record Pause(Instant at, String by, String reason) {
    }

    /** Leads assigned in the current day, week and month of the rep's timezone. */
    public record CapUsage(long day, long week, long month) {
        public static final CapUsage NONE = new CapUsage(0, 0, 0);
    }

    public static RepView of(Rep rep, RepDocument document, CapUsage usage) {
        return new RepView(rep.id, document.name(), document.email(), rep.team, rep.teams(), document.region(), document.tier(), document.skills(),
                document.languages(), document.territories(), document.timezone(), document.workingHours(),
                document.outOfOffice(), rep.maxLoad, document.caps(), rep.weight, rep.active, document.crmIds(), rep.presence,
                rep.connected(), rep.activeLoad, usage, rep.lastAssignedAt, rep.createdAt, rep.updatedAt,
                rep.pausedAt == null ? null : new Pause(rep.pausedAt, rep.pausedBy, rep.pausedReason));
    }
}
