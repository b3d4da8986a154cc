package io.leadrouter.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import io.leadrouter.presence.Presence;

/**
 * The routing decision, framework-free: hard constraints exclude reps with a named reason, a score
 * ranks the rest, and ties are broken at random (never by roster order, which would always favour
 * the same rep).
 */
public final class RoutingEngine {

    /** Idle time at which the idle component saturates. */
    static final Duration IDLE_SATURATION = Duration.ofHours(1);

    private final RandomGenerator random;

    public RoutingEngine(RandomGenerator random) {
        this.random = random;
    }

    /**
     * The first hard constraint the rep fails for being offered this lead, if any. Constraints that
     * can never change for this lead come first, so "why not this rep" names the lasting reason.
     */
    public Optional<CandidateTrace> exclusion(LeadFacts lead, RepFacts rep) {
        return check(lead, rep, true);
    }

    /**
     * The constraints between this lead and this rep, whatever the rep's presence: what a rep who
     * asks for a lead (pull) must still satisfy.
     */
    public Optional<CandidateTrace> leadExclusion(LeadFacts lead, RepFacts rep) {
        return check(lead, rep, false);
    }

    private Optional<CandidateTrace> check(LeadFacts lead, RepFacts rep, boolean offering) {
        if (!rep.active()) {
            return excluded(rep, Exclusion.INACTIVE, "rep is deactivated");
        }
        if (!rep.team().equals(lead.team())) {
            return excluded(rep, Exclusion.OTHER_TEAM, "rep is in team " + rep.team() + ", lead in " + lead.team());
        }
        if (lead.declinedBy().contains(rep.id())) {
            return excluded(rep, Exclusion.DECLINED_BEFORE, "rep declined this lead before");
        }
        if (lead.missedBy().contains(rep.id())) {
            return excluded(rep, Exclusion.MISSED_BEFORE, "rep let an offer of this lead expire before");
        }
        if (offering && rep.presence() != Presence.AVAILABLE) {
            return excluded(rep, Exclusion.NOT_AVAILABLE, "rep is " + rep.presence());
        }
        if (offering && !rep.connected()) {
            return excluded(rep, Exclusion.DISCONNECTED, "rep's connection dropped; presence is in its grace period");
        }
        if (rep.activeLoad() + lead.loadPoints() > rep.maxLoad()) {
            return excluded(rep, Exclusion.AT_CAPACITY, "load " + rep.activeLoad() + " + " + lead.loadPoints()
                    + " would exceed max " + rep.maxLoad());
        }
        for (Map.Entry<String, Integer> required : lead.requiredSkills().entrySet()) {
            int level = rep.skills().getOrDefault(required.getKey(), 0);
            if (level < required.getValue()) {
                return excluded(rep, Exclusion.MISSING_SKILL, "skill " + required.getKey() + " at level " + level
                        + ", lead needs " + required.getValue());
            }
        }
        if (lead.language() != null && !rep.languages().isEmpty() && !rep.languages().contains(lead.language())) {
            return excluded(rep, Exclusion.LANGUAGE, "rep does not speak " + lead.language());
        }
        if (lead.country() != null && !rep.territories().isEmpty() && !coversTerritory(rep, lead)) {
            return excluded(rep, Exclusion.TERRITORY, "rep does not cover " + territoryOf(lead));
        }
        return Optional.empty();
    }

    /** Every rep traced, the eligible ones ranked by score, ties in random order. */
    public Ranking rank(LeadFacts lead, List<RepFacts> reps, Instant now) {
        List<RepFacts> shuffled = new ArrayList<>(reps);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            RepFacts swap = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, swap);
        }
        List<CandidateTrace> candidates = new ArrayList<>();
        boolean anyFreeCapacity = false;
        for (RepFacts rep : shuffled) {
            anyFreeCapacity |= rep.active() && rep.presence() == Presence.AVAILABLE && rep.connected()
                    && rep.activeLoad() < rep.maxLoad();
            candidates.add(exclusion(lead, rep).orElseGet(() -> score(lead, rep, now)));
        }
        // stable sort: equal scores keep the shuffled order
        List<String> ranked = candidates.stream().filter(CandidateTrace::eligible)
                .sorted(Comparator.comparingDouble(CandidateTrace::score).reversed())
                .map(CandidateTrace::repId).toList();
        candidates.sort(Comparator.comparing(CandidateTrace::repId));
        return new Ranking(candidates, ranked, anyFreeCapacity);
    }

    private static CandidateTrace score(LeadFacts lead, RepFacts rep, Instant now) {
        Map<String, Double> components = new LinkedHashMap<>();
        double headroom = rep.maxLoad() == 0 ? 0
                : (double) (rep.maxLoad() - rep.activeLoad() - lead.loadPoints()) / rep.maxLoad();
        double idle = rep.lastAssignedAt() == null ? 1.0
                : Math.min(1.0, (double) Duration.between(rep.lastAssignedAt(), now).toSeconds()
                        / IDLE_SATURATION.toSeconds());
        components.put("headroom", round(headroom));
        components.put("idle", round(Math.max(0, idle)));
        double total = components.values().stream().mapToDouble(Double::doubleValue).sum() / components.size();
        return CandidateTrace.scored(rep.id(), round(total), components);
    }

    private static boolean coversTerritory(RepFacts rep, LeadFacts lead) {
        return rep.territories().contains(lead.country())
                || (lead.region() != null && rep.territories().contains(lead.country() + "-" + lead.region()));
    }

    private static String territoryOf(LeadFacts lead) {
        return lead.region() == null ? lead.country() : lead.country() + "-" + lead.region();
    }

    private static Optional<CandidateTrace> excluded(RepFacts rep, Exclusion exclusion, String detail) {
        return Optional.of(CandidateTrace.excluded(rep.id(), exclusion, detail));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
