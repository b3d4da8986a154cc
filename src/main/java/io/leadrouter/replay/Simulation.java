package io.leadrouter.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

import io.leadrouter.policy.Policy;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.AffinityMatch;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.Fairness;
import io.leadrouter.routing.LeadFacts;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.Ranking;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.Resolution;
import io.leadrouter.routing.RoutingEngine;
import io.leadrouter.routing.ShadowComparison;

/**
 * A discrete-event replay of a day against a policy, routing with the service's own
 * {@link RoutingEngine} the way the push matcher does: whenever a lead arrives or comes back, or a
 * rep becomes available or frees capacity, the team's queued leads (priority, then arrival) are
 * offered in order to their best-ranked rep. Time is virtual and every draw comes from the seed, so
 * a seed always gives the same report.
 */
public final class Simulation {

    static final String NO_QUALIFIED_REP = "NO_QUALIFIED_REP";
    static final String MAX_ATTEMPTS = "MAX_ATTEMPTS";
    /** Disagreements listed in the shadow comparison, the first of the day. */
    static final int SHADOW_SAMPLE = 20;

    /** How a rep answers an offer: ignores it (it lapses), declines or accepts it after a while, then works it or not. */
    public record Answer(Kind kind, Duration after, Duration work) {

        public enum Kind {
            IGNORE, DECLINE, ACCEPT_AND_CLOSE, ACCEPT_AND_NEVER_CLOSE
        }
    }

    /** Who answers offers how: drawn from the scenario's behaviour model, or scripted for a test day. */
    public interface Answers {

        /**
         * @param attempt the offer's attempt number for the lead (1 for the first offer)
         * @param random the stream of this lead and rep, for answers that are drawn
         */
        Answer answer(ScenarioLead lead, int attempt, String repId, SplittableRandom random);
    }

    /** Where one lead ended, as the service's lead record would show it. */
    public record LeadOutcome(String sourceId, String status, int attempts, boolean escalated, String holdReason,
            int declinedBy, int missedBy) {
    }

    /**
     * The report and every lead's end.
     *
     * @param owners each assigned or closed lead's owner, by source id
     */
    public record Result(ReplayReport report, List<LeadOutcome> leads, Map<String, String> owners) {
    }

    private final Policy policy;
    private final String policyName;
    private final long seed;
    private final Answers answers;
    private final RoutingEngine engine = new RoutingEngine();
    /** Every decision is also computed under this policy, without acting, and compared (null: none). */
    private final Policy shadow;
    private final String shadowName;

    public Simulation(Policy policy, String policyName, long seed) {
        this(policy, policyName, seed, null);
    }

    /** With scripted answers; null draws them from the scenario's behaviour model. */
    public Simulation(Policy policy, String policyName, long seed, Answers answers) {
        this(policy, policyName, seed, answers, null, null);
    }

    private Simulation(Policy policy, String policyName, long seed, Answers answers, Policy shadow, String shadowName) {
        this.policy = policy;
        this.policyName = policyName;
        this.seed = seed;
        this.answers = answers;
        this.shadow = shadow;
        this.shadowName = shadowName;
    }

    /** The same replay with every decision also computed under {@code shadow}, as the service does with a shadow policy. */
    public Simulation withShadow(Policy shadow, String shadowName) {
        return new Simulation(policy, policyName, seed, answers, shadow, shadowName);
    }

    public ReplayReport run(Scenario scenario) {
        return replay(scenario).report();
    }

    public Result replay(Scenario scenario) {
        return new Run(scenario).execute();
    }

    /** The behaviour model's answer: the draws in the order the replay has always made them. */
    static Answer drawn(BehaviourModel behaviour, Duration timeout, SplittableRandom random) {
        boolean ignores = random.nextDouble() < behaviour.ignoreShare();
        Duration think = SimulatedRep.between(random, behaviour.thinkMin(), behaviour.thinkMax());
        boolean declines = random.nextDouble() < behaviour.declineShare();
        boolean neverWorks = random.nextDouble() < behaviour.neverWorkShare();
        Duration work = SimulatedRep.between(random, behaviour.workMin(), behaviour.workMax());
        if (ignores || think.compareTo(timeout) >= 0) {
            return new Answer(Answer.Kind.IGNORE, timeout, Duration.ZERO);
        }
        if (declines) {
            return new Answer(Answer.Kind.DECLINE, think, Duration.ZERO);
        }
        return new Answer(neverWorks ? Answer.Kind.ACCEPT_AND_NEVER_CLOSE : Answer.Kind.ACCEPT_AND_CLOSE, think, work);
    }

    private enum Status {
        PENDING, QUEUED, OFFERED, ASSIGNED, CLOSED, HELD
    }

    private static final class LeadState {
        final ScenarioLead source;
        final UUID id;
        final TeamPolicy team;
        final int loadPoints;
        final Set<Integer> tiers;
        final Map<String, Integer> requiredSkills;
        /** The lead's account keys by the team's affinity rule, in its order. */
        final Map<String, String> accountKeys;
        final Set<String> declinedBy = new LinkedHashSet<>();
        final Set<String> missedBy = new LinkedHashSet<>();
        Set<Criterion> relaxed = EnumSet.noneOf(Criterion.class);
        int basePriority;
        Status status = Status.PENDING;
        int attempts;
        boolean escalated;
        String holdReason;
        int holds;
        int assignments;
        Offer offer;
        RepState owner;
        Instant firstAssignedAt;

        LeadState(ScenarioLead source, TeamPolicy team, Policy.LeadScore score) {
            this.source = source;
            this.id = source.id();
            this.team = team;
            this.basePriority = score.priority();
            this.loadPoints = score.loadPoints();
            this.tiers = Set.copyOf(score.tiers());
            this.requiredSkills = Map.copyOf(score.requiredSkills());
            Object attributes = source.fields().get("attributes");
            this.accountKeys = team.affinity().keysOf(attributes instanceof Map<?, ?> map ? map.get("accountId") : null,
                    source.text("email"), source.text("company"));
        }

        /** The lead as {@link Resolution} reads it. */
        Resolution.Lead resolving(Instant now) {
            return new Resolution.Lead(attempts, declinedBy.size() + missedBy.size(), escalated, basePriority, priority(now),
                    Set.copyOf(relaxed));
        }

        /** What {@link Resolution} decided, applied: an escalation's boost and relaxed criteria. */
        boolean apply(Resolution.Outcome outcome) {
            if (outcome.escalates()) {
                escalated = true;
                basePriority = outcome.basePriority();
                relaxed = outcome.relaxed().isEmpty() ? EnumSet.noneOf(Criterion.class) : EnumSet.copyOf(outcome.relaxed());
            }
            return outcome.escalates();
        }

        int priority(Instant now) {
            return team.aging() == null ? basePriority
                    : team.aging().priority(basePriority, Duration.between(source.arrival(), now));
        }

        LeadFacts facts() {
            return new LeadFacts(id, source.team(), loadPoints, requiredSkills, source.text("language"),
                    source.text("country"), source.text("region"), source.text("postalCode"), source.value(), tiers,
                    Set.copyOf(declinedBy), Set.copyOf(missedBy), Set.copyOf(relaxed));
        }
    }

    private static final class RepState {
        final SimulatedRep rep;
        boolean onShift;
        boolean onBreak;
        boolean awayAfterMiss;
        int activeLoad;
        /** Leads assigned today or under offer: what the day, week and month caps count. */
        int usage;
        /** Offers made to the rep and not yet answered. */
        int openOffers;
        Instant lastAssignedAt;
        /** Leads assigned, and their value, per team of the lead: a rep in several teams is fair within each. */
        final Map<String, Long> assigned = new TreeMap<>();
        final Map<String, Double> value = new TreeMap<>();

        RepState(SimulatedRep rep) {
            this.rep = rep;
        }

        Presence presence() {
            return !onShift ? Presence.OFFLINE : onBreak || awayAfterMiss ? Presence.AWAY : Presence.AVAILABLE;
        }

        /**
         * The rep as routing a lead of {@code team} sees it. Fairness counts the team's leads assigned to the rep and its
         * open offers, as the service does: a lead under offer is the rep's turn taken.
         */
        RepFacts facts(String team) {
            return rep.facts().withState(presence(), activeLoad, new RepFacts.Caps(usage, usage, usage), lastAssignedAt,
                    assignedIn(team) + openOffers);
        }

        long assignedIn(String team) {
            return assigned.getOrDefault(team, 0L);
        }
    }

    /** An open offer, with lead and rep as they were when it was made (what the violation check judges). */
    private record Offer(LeadState lead, RepState rep, Instant madeAt, LeadFacts leadAtOffer, RepFacts repBeforeOffer) {
    }

    private record Event(Instant at, long seq, Runnable action) {
    }

    private final class Run {
        final Scenario scenario;
        final BehaviourModel behaviour;
        final PriorityQueue<Event> events = new PriorityQueue<>(
                Comparator.comparing(Event::at).thenComparingLong(Event::seq));
        final Map<String, RepState> reps = new LinkedHashMap<>();
        final Map<String, List<RepState>> repsByTeam = new TreeMap<>();
        final Map<String, List<LeadState>> leadsByTeam = new TreeMap<>();
        final List<LeadState> leads = new ArrayList<>();
        /** Leads by account key and value, in arrival order: what owner affinity looks up. */
        final Map<String, List<LeadState>> byAccount = new LinkedHashMap<>();
        final List<Long> waits = new ArrayList<>();
        final Map<String, Integer> heldByReason = new TreeMap<>();
        final Map<ViolationCheck.Kind, Integer> violations = new EnumMap<>(ViolationCheck.Kind.class);
        long seq;
        Instant now;
        int offersMade;
        int accepted;
        int declined;
        int lapsed;
        int escalated;
        int heldAfterEscalation;
        int takenBack;
        final ShadowComparison.Tally shadowTally = new ShadowComparison.Tally(SHADOW_SAMPLE);
        /** Leads and attempts whose NO_MATCH was compared: the service records one per lead and attempt. */
        final Set<String> shadowNoMatches = new HashSet<>();
        /** Per team and rep, how many more leads the shadow would have given it than the replay did, as the service counts. */
        final Map<String, Map<String, Long>> shadowDifference = new HashMap<>();

        Run(Scenario scenario) {
            this.scenario = scenario;
            this.behaviour = scenario.behaviour();
            this.now = scenario.dayStart();
        }

        Result execute() {
            for (SimulatedRep rep : scenario.reps()) {
                RepState state = new RepState(rep);
                reps.put(rep.id(), state);
                rep.facts().teams().forEach(team -> repsByTeam.computeIfAbsent(team, t -> new ArrayList<>()).add(state));
                at(rep.shiftStart(), () -> {
                    state.onShift = true;
                    rep.facts().teams().forEach(this::drain);
                });
                at(rep.shiftEnd(), () -> state.onShift = false);
                for (SimulatedRep.Break pause : rep.breaks()) {
                    at(pause.from(), () -> state.onBreak = true);
                    at(pause.to(), () -> {
                        state.onBreak = false;
                        rep.facts().teams().forEach(this::drain);
                    });
                }
            }
            for (ScenarioLead source : scenario.leads()) {
                LeadState lead = new LeadState(source, policy.forTeam(source.team()),
                        policy.score(source.fields(), source.crmScore(), source.requiredSkills()));
                leads.add(lead);
                leadsByTeam.computeIfAbsent(source.team(), t -> new ArrayList<>()).add(lead);
                lead.accountKeys.forEach((key, value) -> byAccount.computeIfAbsent(key + '\u0000' + value, k -> new ArrayList<>()).add(lead));
                at(source.arrival(), () -> {
                    lead.status = Status.QUEUED;
                    drain(source.team());
                });
            }
            while (!events.isEmpty() && !events.peek().at().isAfter(scenario.dayEnd())) {
                Event event = events.poll();
                now = event.at();
                event.action().run();
            }
            Map<String, String> owners = new LinkedHashMap<>();
            leads.stream().filter(l -> l.owner != null).forEach(l -> owners.put(l.source.sourceId(), l.owner.rep.id()));
            return new Result(report(), leads.stream().map(l -> new LeadOutcome(l.source.sourceId(),
                    l.status == Status.PENDING ? "QUEUED" : l.status.name(), l.attempts, l.escalated, l.holdReason,
                    l.declinedBy.size(), l.missedBy.size())).toList(), owners);
        }

        /**
         * The earlier lead of the lead's account, as the service's lookup finds it: on the first key that matches, the
         * most recent lead with an owner that arrived within the window.
         */
        AffinityMatch affinity(LeadState lead) {
            Instant since = now.minus(lead.team.affinity().window());
            for (Map.Entry<String, String> key : lead.accountKeys.entrySet()) {
                LeadState latest = null;
                for (LeadState earlier : byAccount.get(key.getKey() + '\u0000' + key.getValue())) {
                    if (earlier != lead && earlier.owner != null && earlier.source.arrival().isAfter(since)
                            && !earlier.source.arrival().isAfter(now)
                            && (latest == null || earlier.source.arrival().isAfter(latest.source.arrival()))) {
                        latest = earlier;
                    }
                }
                if (latest != null) {
                    return new AffinityMatch(key.getKey(), key.getValue(), latest.id, latest.owner.rep.id());
                }
            }
            return null;
        }

        void at(Instant when, Runnable action) {
            events.add(new Event(when, seq++, action));
        }

        /** Offers the team's queued leads in queue order until the team has no free capacity left. */
        void drain(String team) {
            List<LeadState> queued = leadsByTeam.getOrDefault(team, List.of()).stream()
                    .filter(l -> l.status == Status.QUEUED)
                    .sorted(Comparator.comparingInt((LeadState l) -> l.priority(now)).reversed()
                            .thenComparing(l -> l.source.arrival()).thenComparing(l -> l.id))
                    .toList();
            List<RepState> roster = repsByTeam.getOrDefault(team, List.of());
            for (LeadState lead : queued) {
                LeadFacts facts = lead.facts().withAffinity(affinity(lead));
                Ranking shadowRanking = shadowRank(facts, team, roster);
                Ranking ranking = engine.rank(facts, roster.stream().map(r -> r.facts(team)).toList(),
                        lead.team.routing(), now);
                compareShadow(lead, shadowRanking, ranking);
                if (!ranking.relaxed().isEmpty()) {
                    lead.relaxed = EnumSet.copyOf(ranking.relaxed());
                }
                if (ranking.nobodyQualifies()) {
                    hold(lead, NO_QUALIFIED_REP);
                } else if (!ranking.ranked().isEmpty()) {
                    offer(lead, reps.get(ranking.ranked().get(0)));
                } else if (!ranking.anyFreeCapacity()) {
                    return;
                }
            }
        }

        /** The lead under the shadow policy, with the same facts and roster; null without a shadow or a roster to choose from. */
        Ranking shadowRank(LeadFacts facts, String team, List<RepState> roster) {
            if (shadow == null || roster.isEmpty()) {
                return null;
            }
            return engine.rank(facts, ShadowComparison.asShadowSees(roster.stream().map(r -> r.facts(team)).toList(),
                    shadowDifference.getOrDefault(team, Map.of())), shadow.forTeam(team).routing(), now);
        }

        /**
         * The live decision (hold, offer to the best-ranked rep, or no match once per attempt, as the service records
         * them) against the shadow's best-ranked rep.
         */
        void compareShadow(LeadState lead, Ranking shadowRanking, Ranking live) {
            if (shadowRanking == null) {
                return;
            }
            String liveRep = live.nobodyQualifies() || live.ranked().isEmpty() ? null : live.ranked().get(0);
            if (!live.nobodyQualifies() && liveRep == null && !shadowNoMatches.add(lead.id + "/" + lead.attempts)) {
                return;
            }
            String shadowRep = shadowRanking.ranked().isEmpty() ? null : shadowRanking.ranked().get(0);
            if (!Objects.equals(liveRep, shadowRep)) {
                Map<String, Long> difference = shadowDifference.computeIfAbsent(lead.source.team(), t -> new HashMap<>());
                if (shadowRep != null) {
                    difference.merge(shadowRep, 1L, Long::sum);
                }
                if (liveRep != null) {
                    difference.merge(liveRep, -1L, Long::sum);
                }
            }
            shadowTally.add(lead.id, lead.source.team(), liveRep, tierOf(liveRep), shadowRep, tierOf(shadowRep), lead.source.value());
        }

        Integer tierOf(String repId) {
            return repId == null ? null : reps.get(repId).rep.facts().tier();
        }

        void offer(LeadState lead, RepState rep) {
            Offer offer = new Offer(lead, rep, now, lead.facts(), rep.facts(lead.source.team()));
            lead.status = Status.OFFERED;
            lead.attempts++;
            lead.offer = offer;
            rep.activeLoad += lead.loadPoints;
            rep.usage++;
            rep.openOffers++;
            offersMade++;
            // one stream per lead and rep: the rep reacts to this lead the same way under any policy
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, lead.source.sourceId(), rep.rep.id()));
            Duration timeout = lead.team.offerTimeout();
            Answer answer = answers == null ? drawn(behaviour, timeout, random)
                    : answers.answer(lead.source, lead.attempts, rep.rep.id(), random);
            switch (answer.kind()) {
                case IGNORE -> at(now.plus(timeout), () -> resolve(offer, false));
                case DECLINE -> at(now.plus(answer.after()), () -> resolve(offer, true));
                default -> at(now.plus(answer.after()),
                        () -> accept(offer, answer.kind() == Answer.Kind.ACCEPT_AND_NEVER_CLOSE, answer.work()));
            }
        }

        void accept(Offer offer, boolean neverWorks, Duration work) {
            LeadState lead = offer.lead();
            RepState rep = offer.rep();
            ViolationCheck.check(offer.leadAtOffer(), offer.repBeforeOffer(), lead.team, offer.madeAt())
                    .forEach(kind -> violations.merge(kind, 1, Integer::sum));
            lead.status = Status.ASSIGNED;
            lead.offer = null;
            lead.owner = rep;
            rep.openOffers--;
            int assignment = ++lead.assignments;
            rep.lastAssignedAt = now;
            rep.assigned.merge(lead.source.team(), 1L, Long::sum);
            rep.value.merge(lead.source.team(), lead.source.value() == null ? 0 : lead.source.value(), Double::sum);
            accepted++;
            if (lead.firstAssignedAt == null) {
                lead.firstAssignedAt = now;
                waits.add(Duration.between(lead.source.arrival(), now).toSeconds());
            }
            if (!neverWorks) {
                at(now.plus(work), () -> {
                    if (lead.status == Status.ASSIGNED && lead.assignments == assignment) {
                        lead.status = Status.CLOSED;
                        rep.activeLoad -= lead.loadPoints;
                        drain(lead.source.team());
                    }
                });
            }
            if (lead.team.untendedAfter() != null) {
                at(now.plus(lead.team.untendedAfter()), () -> {
                    if (lead.status == Status.ASSIGNED && lead.assignments == assignment) {
                        takenBack++;
                        if (lead.apply(Resolution.of(Resolution.Cause.TAKEN_BACK, lead.resolving(now), lead.team.resolutionRules()))) {
                            escalated++;
                        }
                        lead.status = Status.QUEUED;
                        lead.missedBy.add(rep.rep.id());
                        lead.owner = null;
                        rep.activeLoad -= lead.loadPoints;
                        drain(lead.source.team());
                    }
                });
            }
        }

        /** A declined or lapsed offer: the rep's capacity is freed, the lead requeued, escalated or held. */
        void resolve(Offer offer, boolean declinedByRep) {
            LeadState lead = offer.lead();
            RepState rep = offer.rep();
            rep.activeLoad -= lead.loadPoints;
            rep.usage--;
            rep.openOffers--;
            lead.offer = null;
            Resolution.Outcome outcome = Resolution.of(declinedByRep ? Resolution.Cause.DECLINED : Resolution.Cause.LAPSED,
                    lead.resolving(now), lead.team.resolutionRules());
            if (declinedByRep) {
                declined++;
                lead.declinedBy.add(rep.rep.id());
            } else {
                lapsed++;
                lead.missedBy.add(rep.rep.id());
                if (rep.presence() == Presence.AVAILABLE) {
                    rep.awayAfterMiss = true;
                    at(now.plus(behaviour.backAfterMiss()), () -> {
                        rep.awayAfterMiss = false;
                        rep.rep.facts().teams().forEach(this::drain);
                    });
                }
            }
            if (lead.apply(outcome)) {
                escalated++;
            }
            if (outcome.held()) {
                hold(lead, MAX_ATTEMPTS);
            } else {
                lead.status = Status.QUEUED;
            }
            drain(lead.source.team());
        }

        void hold(LeadState lead, String reason) {
            lead.status = Status.HELD;
            lead.holdReason = reason;
            heldByReason.merge(reason, 1, Integer::sum);
            int hold = ++lead.holds;
            if (lead.escalated) {
                heldAfterEscalation++;
            } else if (lead.team.escalateHeldAfter() != null) {
                at(now.plus(lead.team.escalateHeldAfter()), () -> {
                    if (lead.status == Status.HELD && lead.holds == hold && !lead.escalated) {
                        lead.apply(Resolution.of(Resolution.Cause.HELD_TOO_LONG, lead.resolving(now), lead.team.resolutionRules()));
                        escalated++;
                        lead.status = Status.QUEUED;
                        lead.holdReason = null;
                        drain(lead.source.team());
                    }
                });
            }
        }

        ReplayReport report() {
            List<ReplayReport.RepRow> repRows = new ArrayList<>();
            List<ReplayReport.TeamRow> teamRows = new ArrayList<>();
            Map<String, long[]> tierCounts = new TreeMap<>();
            Map<String, Double> tierValues = new TreeMap<>();
            repsByTeam.forEach((team, roster) -> {
                Fairness.Report fairness = Fairness.measure(roster.stream()
                        .map(r -> new Fairness.Share(r.rep.id(), r.rep.facts().weight(), r.assignedIn(team),
                                r.value.getOrDefault(team, 0.0))).toList());
                for (int i = 0; i < roster.size(); i++) {
                    RepState rep = roster.get(i);
                    Fairness.RepFairness measured = fairness.reps().get(i);
                    repRows.add(new ReplayReport.RepRow(rep.rep.id(), team, rep.rep.facts().tier(), measured.weight(),
                            rep.assignedIn(team), measured.expected(), measured.ratio(), measured.value()));
                    String tier = rep.rep.facts().tier() == null ? "unset" : "tier " + rep.rep.facts().tier();
                    tierCounts.computeIfAbsent(tier, t -> new long[1])[0] += rep.assignedIn(team);
                    tierValues.merge(tier, rep.value.getOrDefault(team, 0.0), Double::sum);
                }
                teamRows.add(new ReplayReport.TeamRow(team, roster.size(), fairness.assigned(), fairness.value(),
                        fairness.maxMinRatio(), fairness.gini()));
            });
            List<ReplayReport.TierRow> tiers = tierCounts.entrySet().stream()
                    .map(e -> new ReplayReport.TierRow(e.getKey(), e.getValue()[0], Math.round(tierValues.get(e.getKey()))))
                    .toList();
            Map<String, Integer> violationsByKind = new LinkedHashMap<>();
            violations.forEach((kind, count) -> violationsByKind.put(kind.name(), count));
            return new ReplayReport(scenario.name(), policyName, seed, leads.size(), outcome(), repRows, teamRows, tiers,
                    waiting(), new ReplayReport.Offers(offersMade, accepted, declined, lapsed), heldByReason, escalated,
                    heldAfterEscalation, takenBack, violationsByKind, shadow == null ? null
                            : new ReplayReport.Shadow(shadowName, shadowTally.report(reps.values().stream()
                                    .map(r -> new ShadowComparison.RosterRep(r.rep.facts().team(), r.rep.id(), r.rep.facts().weight()))
                                    .toList())));
        }

        ReplayReport.Outcome outcome() {
            Map<Status, Integer> counts = new EnumMap<>(Status.class);
            leads.forEach(l -> counts.merge(l.status, 1, Integer::sum));
            int closed = counts.getOrDefault(Status.CLOSED, 0);
            return new ReplayReport.Outcome(counts.getOrDefault(Status.ASSIGNED, 0) + closed, closed,
                    counts.getOrDefault(Status.QUEUED, 0) + counts.getOrDefault(Status.PENDING, 0),
                    counts.getOrDefault(Status.OFFERED, 0), counts.getOrDefault(Status.HELD, 0));
        }

        ReplayReport.Waiting waiting() {
            if (waits.isEmpty()) {
                return new ReplayReport.Waiting(0, null, null, null, null);
            }
            long[] sorted = waits.stream().mapToLong(Long::longValue).sorted().toArray();
            return new ReplayReport.Waiting(sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.90),
                    percentile(sorted, 0.99), sorted[sorted.length - 1]);
        }
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
