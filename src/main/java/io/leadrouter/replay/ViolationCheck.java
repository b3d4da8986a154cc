package io.leadrouter.replay;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.LeadFacts;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.RepFacts;

/**
 * An oracle independent of the routing engine: re-checks an assignment against the hard
 * constraints, as the rep and the lead were when the offer was made. Written apart from
 * {@code RoutingEngine.exclusion} on purpose, so a bug there shows up here as a violation.
 */
final class ViolationCheck {

    enum Kind {
        INACTIVE_REP, OTHER_TEAM, DECLINED_BEFORE, MISSED_BEFORE, MISSING_SKILL, LANGUAGE, TERRITORY, TIER,
        OUT_OF_OFFICE, HOLIDAY, OUTSIDE_HOURS, NOT_AVAILABLE, OVER_CAPACITY, CAP_EXCEEDED, UNPERMITTED_RELAXATION
    }

    private ViolationCheck() {
    }

    /**
     * @param lead the lead as offered, with the criteria relaxed for that offer
     * @param rep the rep just before the offer reserved its capacity
     */
    static List<Kind> check(LeadFacts lead, RepFacts rep, TeamPolicy policy, Instant offeredAt) {
        List<Kind> found = new ArrayList<>();
        Set<Criterion> permitted = EnumSet.noneOf(Criterion.class);
        permitted.addAll(policy.routing().fallback());
        permitted.addAll(policy.escalationRelax());
        if (!permitted.containsAll(lead.relaxed())) {
            found.add(Kind.UNPERMITTED_RELAXATION);
        }
        if (!rep.active()) {
            found.add(Kind.INACTIVE_REP);
        }
        if (!rep.teams().contains(lead.team())) {
            found.add(Kind.OTHER_TEAM);
        }
        if (lead.declinedBy().contains(rep.id())) {
            found.add(Kind.DECLINED_BEFORE);
        }
        if (lead.missedBy().contains(rep.id())) {
            found.add(Kind.MISSED_BEFORE);
        }
        if (!lead.relaxed().contains(Criterion.SKILLS) && !hasSkills(rep.skills(), lead.requiredSkills())) {
            found.add(Kind.MISSING_SKILL);
        }
        if (policy.routing().requireLanguage() && !lead.relaxed().contains(Criterion.LANGUAGE) && lead.language() != null
                && !rep.languages().isEmpty() && !rep.languages().contains(lead.language())) {
            found.add(Kind.LANGUAGE);
        }
        if (policy.routing().requireTerritory() && !lead.relaxed().contains(Criterion.TERRITORY) && !covers(rep, lead)) {
            found.add(Kind.TERRITORY);
        }
        if (!lead.tiers().isEmpty() && !lead.relaxed().contains(Criterion.TIER) && !lead.tiers().contains(rep.tier())) {
            found.add(Kind.TIER);
        }
        if (rep.outOfOffice().stream().anyMatch(a -> !offeredAt.isBefore(a.from()) && offeredAt.isBefore(a.to()))) {
            found.add(Kind.OUT_OF_OFFICE);
        }
        java.time.LocalDate day = offeredAt.atZone(rep.zone()).toLocalDate();
        if (policy.routing().holidays().stream().anyMatch(c -> c.dates().contains(day) && ((c.teams().isEmpty() && c.regions().isEmpty())
                || rep.teams().stream().anyMatch(c.teams()::contains) || (rep.region() != null
                        && (c.regions().contains(rep.region()) || c.regions().contains(rep.region().split("-")[0])))))) {
            found.add(Kind.HOLIDAY);
        }
        if (!rep.workingHours().isEmpty() && !working(rep, offeredAt)) {
            found.add(Kind.OUTSIDE_HOURS);
        }
        if (rep.presence() != Presence.AVAILABLE || !rep.connected()) {
            found.add(Kind.NOT_AVAILABLE);
        }
        if (rep.activeLoad() + lead.loadPoints() > rep.maxLoad()) {
            found.add(Kind.OVER_CAPACITY);
        }
        if (over(rep.caps().day(), rep.usage().day()) || over(rep.caps().week(), rep.usage().week())
                || over(rep.caps().month(), rep.usage().month())) {
            found.add(Kind.CAP_EXCEEDED);
        }
        return found;
    }

    private static boolean hasSkills(Map<String, Integer> has, Map<String, Integer> needs) {
        return needs.entrySet().stream().allMatch(n -> has.containsKey(n.getKey()) && has.get(n.getKey()) >= n.getValue());
    }

    /** No country, or a rep without territories, is covered; else the country, its region or a postal prefix must be. */
    private static boolean covers(RepFacts rep, LeadFacts lead) {
        if (lead.country() == null || rep.territories().isEmpty()) {
            return true;
        }
        String postal = lead.postalCode() == null ? null : lead.postalCode().replace(" ", "").toUpperCase();
        for (String territory : rep.territories()) {
            if (territory.equals(lead.country())
                    || lead.region() != null && territory.equalsIgnoreCase(lead.country() + "-" + lead.region())
                    || postal != null && territory.startsWith(lead.country() + ":")
                            && postal.startsWith(territory.substring(lead.country().length() + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean working(RepFacts rep, Instant at) {
        ZonedDateTime local = at.atZone(rep.zone());
        LocalTime time = local.toLocalTime();
        return rep.workingHours().getOrDefault(local.getDayOfWeek(), List.of()).stream()
                .anyMatch(w -> !time.isBefore(w.start()) && (w.end() == null || time.isBefore(w.end())));
    }

    /** The rep already had {@code cap} leads before this one. */
    private static boolean over(Integer cap, Integer used) {
        return cap != null && (used == null ? 0 : used) >= cap;
    }
}
