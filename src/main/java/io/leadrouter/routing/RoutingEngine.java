package io.leadrouter.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;


/**
 * The routing decision, framework-free so the service and the replay simulator share it: hard
 * constraints exclude reps with a named reason, the rest are ranked, and the fallback chain relaxes
 * criteria when nobody qualifies. The ranking is exact weighted fairness under the stronger factors:
 * an eligible account owner first (affinity), then the best fit (skill requirement met, language,
 * territory, value-to-tier fit), then among equal fit the rep furthest behind its weighted share of
 * the fairness period, then idle time, then headroom, and last a hash of lead and rep, so ties spread
 * evenly over the reps (never roster order, which always favours the same rep) and a replay decides
 * exactly as the service did. The weighted score of all components is traced for explanation.
 */
public final class RoutingEngine {

    /**
     * The first hard constraint the rep fails for being offered this lead, if any; lasting reasons
     * first, so "why not this rep" names the one that matters.
     */
    public Optional<CandidateTrace> exclusion(LeadFacts lead, RepFacts rep, RoutingRules rules, Instant now) {
        return check(lead, rep, rules, now, true);
    }

    /**
     * The constraints a rep who asks for a lead (pull) must still satisfy: everything but presence,
     * connection and working hours, since pulling is an explicit request.
     */
    public Optional<CandidateTrace> leadExclusion(LeadFacts lead, RepFacts rep, RoutingRules rules, Instant now) {
        return check(lead, rep, rules, now, false);
    }

    private Optional<CandidateTrace> check(LeadFacts lead, RepFacts rep, RoutingRules rules, Instant now, boolean offering) {
        if (!rep.active()) {
            return excluded(rep, Exclusion.INACTIVE, "rep is deactivated");
        }
        if (!rep.inTeam(lead.team())) {
            return excluded(rep, Exclusion.OTHER_TEAM, (rep.teams().size() == 1 ? "rep is in team " + rep.team()
                    : "rep is in teams " + String.join(", ", rep.teams())) + ", lead in " + lead.team());
        }
        if (lead.declinedBy().contains(rep.id())) {
            return excluded(rep, Exclusion.DECLINED_BEFORE, "rep declined this lead before");
        }
        if (lead.missedBy().contains(rep.id())) {
            return excluded(rep, Exclusion.MISSED_BEFORE, "rep let an offer of this lead lapse before");
        }
        if (!lead.relaxes(Criterion.SKILLS)) {
            for (Map.Entry<String, Integer> required : lead.requiredSkills().entrySet()) {
                int level = rep.skills().getOrDefault(required.getKey(), 0);
                if (level < required.getValue()) {
                    return excluded(rep, Exclusion.MISSING_SKILL, "skill " + required.getKey() + " at level " + level
                            + ", lead needs " + required.getValue());
                }
            }
        }
        if (rules.requireLanguage() && !lead.relaxes(Criterion.LANGUAGE) && languageFit(lead, rep) == 0) {
            return excluded(rep, Exclusion.LANGUAGE, "rep does not speak " + lead.language());
        }
        if (rules.requireTerritory() && !lead.relaxes(Criterion.TERRITORY) && territoryFit(lead, rep) == 0) {
            return excluded(rep, Exclusion.TERRITORY, "rep does not cover " + territoryOf(lead));
        }
        if (!lead.tiers().isEmpty() && !lead.relaxes(Criterion.TIER) && (rep.tier() == null || !lead.tiers().contains(rep.tier()))) {
            return excluded(rep, Exclusion.TIER, "lead is reserved for tier " + lead.tiers() + ", rep is tier "
                    + (rep.tier() == null ? "unset" : rep.tier()));
        }
        if (offering) {
            Optional<RepFacts.Absence> away = absenceAt(rep, now);
            if (away.isPresent()) {
                return excluded(rep, Exclusion.OUT_OF_OFFICE, "rep is out of office until " + away.get().to());
            }
            Optional<HolidayCalendar> holiday = HolidayCalendar.holidayOf(rules.holidays(), rep, now);
            if (holiday.isPresent()) {
                return excluded(rep, Exclusion.HOLIDAY, "holiday in calendar " + holiday.get().name() + " ("
                        + LocalDate.ofInstant(now, rep.zone()) + " " + rep.zone() + ")");
            }
            if (!withinWorkingHours(rep, now)) {
                return excluded(rep, Exclusion.OUTSIDE_HOURS, "outside the rep's working hours ("
                        + ZonedDateTime.ofInstant(now, rep.zone()).toLocalDateTime().withNano(0) + " " + rep.zone() + ")");
            }
            if (rep.presence() != Presence.AVAILABLE) {
                return excluded(rep, Exclusion.NOT_AVAILABLE, "rep is " + rep.presence());
            }
            if (!rep.connected()) {
                return excluded(rep, Exclusion.DISCONNECTED, "rep's connection dropped; presence is in its grace period");
            }
        }
        if (rep.paused()) {
            return excluded(rep, Exclusion.PAUSED, "rep is paused by a manager");
        }
        if (rep.activeLoad() + lead.loadPoints() > rep.maxLoad()) {
            return excluded(rep, Exclusion.AT_CAPACITY, "load " + rep.activeLoad() + " + " + lead.loadPoints()
                    + " would exceed max " + rep.maxLoad());
        }
        String cap = capReached(rep.caps(), rep.usage());
        if (cap != null) {
            return excluded(rep, Exclusion.CAP_REACHED, cap);
        }
        return Optional.empty();
    }

    /**
     * Every rep traced and the eligible ones ranked; when the team has active reps but none
     * qualifies for a lasting reason, the rules' fallback criteria are relaxed one at a time
     * (recorded in the ranking) until someone does or the chain ends.
     */
    public Ranking rank(LeadFacts lead, List<RepFacts> reps, RoutingRules rules, Instant now) {
        Set<Criterion> relaxed = lead.relaxed().isEmpty() ? EnumSet.noneOf(Criterion.class) : EnumSet.copyOf(lead.relaxed());
        LeadFacts current = lead;
        while (true) {
            Ranking ranking = rankOnce(current, reps, rules, now);
            if (!ranking.nobodyQualifies() || ranking.candidates().stream().noneMatch(c -> c.exclusion() != null
                    && c.exclusion().relaxable())) {
                return ranking;
            }
            Criterion next = rules.fallback().stream().filter(c -> !relaxed.contains(c)).findFirst().orElse(null);
            if (next == null) {
                return ranking;
            }
            relaxed.add(next);
            current = lead.withRelaxed(Set.copyOf(relaxed));
        }
    }

    private Ranking rankOnce(LeadFacts lead, List<RepFacts> reps, RoutingRules rules, Instant now) {
        List<RepFacts> team = reps.stream().filter(rep -> rep.active() && rep.inTeam(lead.team())).toList();
        boolean anyActive = !team.isEmpty();
        long teamAssigned = team.stream().mapToLong(RepFacts::assignedInFairnessPeriod).sum();
        // summed in sorted order: a floating-point sum in roster order could round a score differently per order
        double teamWeight = team.stream().mapToDouble(RepFacts::weight).sorted().sum();
        List<CandidateTrace> candidates = new ArrayList<>(reps.size());
        boolean anyFreeCapacity = false;
        boolean anyQualifies = false;
        for (RepFacts rep : reps) {
            anyFreeCapacity |= canTakeWork(rep, lead.team(), rules, now);
            Optional<CandidateTrace> excluded = exclusion(lead, rep, rules, now);
            anyQualifies |= excluded.map(e -> !e.exclusion().lasting()).orElse(true);
            candidates.add(excluded.isPresent() ? excluded.get() : score(lead, rep, rules, now, teamAssigned, teamWeight));
        }
        Map<String, RepFacts> byId = new LinkedHashMap<>();
        reps.forEach(rep -> byId.putIfAbsent(rep.id(), rep));
        withDeficits(candidates, byId, rules, teamAssigned, teamWeight);
        String owner = lead.affinity() == null ? null : lead.affinity().ownerRepId();
        // idle by the instant of the last assignment, not the traced component, which saturates and is rounded
        Comparator<CandidateTrace> longestIdle = Comparator.comparing((CandidateTrace c) -> byId.get(c.repId()).lastAssignedAt(),
                Comparator.nullsFirst(Comparator.naturalOrder()));
        List<CandidateTrace> order = candidates.stream().filter(CandidateTrace::eligible)
                .sorted(bestFirst(lead.id(), owner, longestIdle)).toList();
        List<String> ranked = order.stream().map(CandidateTrace::repId).toList();
        String decidedBy = order.isEmpty() ? null : order.size() == 1 ? "onlyEligible"
                : decidedBy(order.get(0), order.get(1), owner, longestIdle);
        AffinityTrace affinity = lead.affinity() == null ? null : AffinityTrace.of(lead.affinity(),
                candidates.stream().filter(c -> c.repId().equals(owner)).findFirst().orElse(null), lead.team());
        candidates.sort(Comparator.comparing(CandidateTrace::repId));
        List<Criterion> relaxed = lead.relaxed().stream().sorted().toList();
        return new Ranking(candidates, ranked, anyFreeCapacity, relaxed, anyActive && !anyQualifies, decidedBy, affinity);
    }

    /**
     * Each eligible rep's deficit: how many leads it is behind its weighted share of the team's leads in the fairness
     * period (assigned or under offer), this one counted; among equal fit the largest deficit ranks first. That is
     * smooth weighted round robin: every rep stays about one lead from its share. With make-up credit a rep back from an
     * absence is as far behind as it is, and gets the leads it missed; without, a rep more than one lead behind the
     * most-served rep of equal fit counts as level with the least-served rep of those in the rotation, so it rejoins
     * the rotation (the longest idle first among equals) and takes no burst.
     */
    private static void withDeficits(List<CandidateTrace> candidates, Map<String, RepFacts> reps, RoutingRules rules,
            long teamAssigned, double teamWeight) {
        Map<Double, Double> mostServed = new HashMap<>();
        Map<Double, Double> leastInRotation = new HashMap<>();
        if (!rules.makeUp()) {
            for (CandidateTrace c : candidates) {
                if (c.eligible()) {
                    mostServed.merge(c.fit(), perWeight(reps.get(c.repId())), Math::max);
                }
            }
            for (CandidateTrace c : candidates) {
                if (c.eligible() && inRotation(reps.get(c.repId()), mostServed.get(c.fit()))) {
                    leastInRotation.merge(c.fit(), perWeight(reps.get(c.repId())), Math::min);
                }
            }
        }
        double perUnit = teamWeight <= 0 ? 0 : (teamAssigned + 1) / teamWeight;
        candidates.replaceAll(c -> {
            if (!c.eligible()) {
                return c;
            }
            RepFacts rep = reps.get(c.repId());
            double counted = rep.assignedInFairnessPeriod();
            if (!rules.makeUp() && !inRotation(rep, mostServed.get(c.fit()))) {
                counted = leastInRotation.get(c.fit()) * rep.weight();
            }
            return c.withDeficit(round(perUnit * rep.weight() - counted));
        });
    }

    private static double perWeight(RepFacts rep) {
        return rep.weight() <= 0 ? 0 : rep.assignedInFairnessPeriod() / rep.weight();
    }

    /** Within one lead of the most-served rep: in the rotation. */
    private static boolean inRotation(RepFacts rep, double mostServedPerWeight) {
        return rep.weight() <= 0 || rep.assignedInFairnessPeriod() >= mostServedPerWeight * rep.weight() - 1;
    }

    /** The first ranking step on which the first-ranked rep is ahead of the second. */
    private static String decidedBy(CandidateTrace first, CandidateTrace second, String owner, Comparator<CandidateTrace> longestIdle) {
        if (first.repId().equals(owner)) {
            return "affinity";
        }
        if (!first.fit().equals(second.fit())) {
            return "fit";
        }
        if (!first.deficit().equals(second.deficit())) {
            return "fairness";
        }
        if (longestIdle.compare(first, second) != 0) {
            return "idle";
        }
        return first.components().get("headroom").equals(second.components().get("headroom")) ? "tieBreak" : "headroom";
    }

    private static CandidateTrace score(LeadFacts lead, RepFacts rep, RoutingRules rules, Instant now, long teamAssigned,
            double teamWeight) {
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("skill", skillFit(lead, rep));
        components.put("language", languageFit(lead, rep));
        components.put("territory", territoryFit(lead, rep));
        components.put("valueTierFit", valueTierFit(lead, rep, rules));
        components.put("fairness", fairness(rep, teamAssigned, teamWeight));
        components.put("idle", idle(rep, rules, now));
        components.put("headroom", rep.maxLoad() == 0 ? 0
                : Math.max(0, (double) (rep.maxLoad() - rep.activeLoad() - lead.loadPoints()) / rep.maxLoad()));
        components.replaceAll((name, value) -> round(value));
        double weighted = 0;
        double weights = 0;
        for (Map.Entry<String, Double> weight : rules.weights().asMap().entrySet()) {
            weighted += weight.getValue() * components.get(weight.getKey());
            weights += weight.getValue();
        }
        Weights w = rules.weights();
        double fitWeights = w.skill() + w.language() + w.territory() + w.valueTierFit();
        double fit = fitWeights == 0 ? 0 : (w.skill() * round(skillRequirementMet(lead, rep)) + w.language() * components.get("language")
                + w.territory() * components.get("territory") + w.valueTierFit() * seniorEnough(lead, rep, rules)) / fitWeights;
        return CandidateTrace.scored(rep.id(), round(weights == 0 ? 0 : weighted / weights), components, round(fit));
    }

    /**
     * How much of the lead's skill requirements the rep meets: 1 when it meets them all (or none are required), less
     * per level short (only once the fallback chain relaxed skills). Proficiency beyond the requirement is no fit:
     * it would send every lead needing a skill to the one expert and leave the team's fairness to chance.
     */
    static double skillRequirementMet(LeadFacts lead, RepFacts rep) {
        return lead.requiredSkills().entrySet().stream()
                .mapToDouble(required -> Math.min(1, (double) rep.skills().getOrDefault(required.getKey(), 0) / required.getValue()))
                .average().orElse(1);
    }

    /** Mean proficiency over the required skills (level / 5); neutral when the lead requires none. */
    static double skillFit(LeadFacts lead, RepFacts rep) {
        if (lead.requiredSkills().isEmpty()) {
            return 0.5;
        }
        return lead.requiredSkills().keySet().stream().mapToDouble(skill -> rep.skills().getOrDefault(skill, 0) / 5.0)
                .average().orElse(0.5);
    }

    /** 1 when the rep speaks the lead's language, 0 when not, neutral when either side does not say. */
    static double languageFit(LeadFacts lead, RepFacts rep) {
        if (lead.language() == null || rep.languages().isEmpty()) {
            return 0.5;
        }
        return rep.languages().contains(lead.language()) ? 1 : 0;
    }

    /**
     * How specifically the rep covers the lead's place: postal prefix 1, region 0.75, country 0.5,
     * a rep without territories 0.25 (covers everything, specialises in nothing), not covered 0.
     */
    static double territoryFit(LeadFacts lead, RepFacts rep) {
        if (lead.country() == null) {
            return 0.5;
        }
        if (rep.territories().isEmpty()) {
            return 0.25;
        }
        double best = 0;
        for (String territory : rep.territories()) {
            int colon = territory.indexOf(':');
            if (colon > 0) {
                if (lead.postalCode() != null && territory.substring(0, colon).equals(lead.country())
                        && lead.postalCode().toUpperCase().replace(" ", "").startsWith(territory.substring(colon + 1))) {
                    return 1;
                }
            } else if (lead.region() != null && territory.equalsIgnoreCase(lead.country() + "-" + lead.region())) {
                best = Math.max(best, 0.75);
            } else if (territory.equals(lead.country())) {
                best = Math.max(best, 0.5);
            }
        }
        return best;
    }

    /**
     * The value-to-tier part of the fit: 1 when the rep is at least as senior as the ideal tier for the lead's value,
     * less per tier junior to it; neutral when unknown. Seniority beyond the ideal is no fit: a small deal may go to the
     * senior rep whose turn it is, or the senior reps, never the best fit for small deals, would fall behind all day.
     */
    static double seniorEnough(LeadFacts lead, RepFacts rep, RoutingRules rules) {
        Integer ideal = rules.idealTier(lead.value());
        if (ideal == null || rep.tier() == null) {
            return 0.5;
        }
        return round(Math.max(0, 1 - Math.max(0, rep.tier() - ideal) / 3.0));
    }

    /** 1 when the rep's tier is the ideal one for the lead's value, less per tier away; neutral when unknown. */
    static double valueTierFit(LeadFacts lead, RepFacts rep, RoutingRules rules) {
        Integer ideal = rules.idealTier(lead.value());
        if (ideal == null || rep.tier() == null) {
            return 0.5;
        }
        return Math.max(0, 1 - Math.abs(rep.tier() - ideal) / 3.0);
    }

    /**
     * How far the rep is behind its weighted share of the team's assignments in the fairness
     * period, counting this lead: 0.5 exactly on share, towards 1 behind, towards 0 ahead.
     */
    static double fairness(RepFacts rep, long teamAssigned, double teamWeight) {
        if (teamWeight <= 0) {
            return 0.5;
        }
        double expected = (teamAssigned + 1) * rep.weight() / teamWeight;
        double deficit = expected - rep.assignedInFairnessPeriod();
        return Math.max(0, Math.min(1, 0.5 + deficit / (2 * Math.max(1, expected))));
    }

    static double idle(RepFacts rep, RoutingRules rules, Instant now) {
        if (rep.lastAssignedAt() == null) {
            return 1;
        }
        double idle = (double) Duration.between(rep.lastAssignedAt(), now).toSeconds() / rules.idleSaturation().toSeconds();
        return Math.max(0, Math.min(1, idle));
    }

    /** Whether the rep could be offered some lead of the team now: the constraints that do not depend on the lead. */
    private static boolean canTakeWork(RepFacts rep, String team, RoutingRules rules, Instant now) {
        return rep.active() && !rep.paused() && rep.inTeam(team) && rep.presence() == Presence.AVAILABLE && rep.connected()
                && rep.activeLoad() < rep.maxLoad() && capReached(rep.caps(), rep.usage()) == null
                && withinWorkingHours(rep, now)
                && absenceAt(rep, now).isEmpty()
                && HolidayCalendar.holidayOf(rules.holidays(), rep, now).isEmpty();
    }

    private static Optional<RepFacts.Absence> absenceAt(RepFacts rep, Instant now) {
        return rep.outOfOffice().stream().filter(a -> !now.isBefore(a.from()) && now.isBefore(a.to())).findFirst();
    }

    private static boolean withinWorkingHours(RepFacts rep, Instant now) {
        if (rep.workingHours().isEmpty()) {
            return true;
        }
        ZonedDateTime local = ZonedDateTime.ofInstant(now, rep.zone());
        return rep.workingHours().getOrDefault(local.getDayOfWeek(), List.of()).stream()
                .anyMatch(w -> w.contains(local.toLocalTime()));
    }

    /** Which period cap the usage has reached, in words, or null when none. */
    public static String capReached(RepFacts.Caps caps, RepFacts.Caps usage) {
        if (reached(caps.day(), usage.day())) {
            return "day cap of " + caps.day() + " reached";
        }
        if (reached(caps.week(), usage.week())) {
            return "week cap of " + caps.week() + " reached";
        }
        if (reached(caps.month(), usage.month())) {
            return "month cap of " + caps.month() + " reached";
        }
        return null;
    }

    private static boolean reached(Integer cap, Integer used) {
        return cap != null && (used == null ? 0 : used) >= cap;
    }

    /**
     * Eligible candidates in rank order for a lead: the account owner, fit, the weighted deficit, idle, headroom, then
     * the fair tie-break.
     */
    static Comparator<CandidateTrace> bestFirst(UUID leadId, String owner, Comparator<CandidateTrace> longestIdle) {
        return Comparator.comparing((CandidateTrace c) -> !c.repId().equals(owner))
                .thenComparing(Comparator.comparingDouble(CandidateTrace::fit).reversed())
                .thenComparing(Comparator.comparingDouble(CandidateTrace::deficit).reversed())
                .thenComparing(longestIdle)
                .thenComparing(Comparator.comparingDouble((CandidateTrace c) -> c.components().get("headroom")).reversed())
                .thenComparingLong(c -> tieBreak(leadId, c.repId()))
                // only a 64-bit hash collision gets here; the id still keeps roster order out of it
                .thenComparing(CandidateTrace::repId);
    }

    /**
     * The rank order of a recorded decision: {@link #bestFirst}, or for a decision recorded before fit and fairness
     * ranked (no {@code fit} in its trace), the weighted score it was ranked by then.
     */
    static Comparator<CandidateTrace> tracedOrder(UUID leadId, AffinityTrace affinity, List<CandidateTrace> candidates) {
        if (candidates.stream().filter(CandidateTrace::eligible).allMatch(c -> c.fit() != null && c.deficit() != null)) {
            return bestFirst(leadId, affinity == null ? null : affinity.ownerRepId(),
                    Comparator.comparingDouble((CandidateTrace c) -> c.components().get("idle")).reversed());
        }
        return Comparator.comparingDouble(CandidateTrace::score).reversed().thenComparingLong(c -> tieBreak(leadId, c.repId()))
                .thenComparing(CandidateTrace::repId);
    }

    /** A stable pseudo-random order for equal scores: uniform over reps for each lead, same in every run. */
    static long tieBreak(UUID leadId, String repId) {
        long h = leadId.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ leadId.getLeastSignificantBits()
                ^ fnv1a(repId) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    /** A 64-bit hash of the whole id: String.hashCode collides for ids like "Aa" and "BB". */
    private static long fnv1a(String id) {
        long hash = 0xCBF29CE484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= 0x100000001B3L;
        }
        return hash;
    }

    private static String territoryOf(LeadFacts lead) {
        return (lead.region() == null ? lead.country() : lead.country() + "-" + lead.region())
                + (lead.postalCode() == null ? "" : " " + lead.postalCode());
    }

    private static Optional<CandidateTrace> excluded(RepFacts rep, Exclusion exclusion, String detail) {
        return Optional.of(CandidateTrace.excluded(rep.id(), exclusion, detail));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
