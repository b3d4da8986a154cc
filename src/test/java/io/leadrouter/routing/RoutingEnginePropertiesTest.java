package io.leadrouter.routing;

import static io.leadrouter.routing.RoutingEngineTest.lead;
import static io.leadrouter.routing.RoutingEngineTest.rep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;


/**
 * Properties of the routing decision over random rosters, leads, policies and moments. The hard
 * constraints are restated here from the facts ({@link #violations}) rather than asked of the
 * engine, so a constraint the engine forgets or misreads shows up as a disagreement.
 * <p>
 * QuickTheories picks a fresh seed each run and prints it with a falsified property; rerun with
 * {@code -DQT_SEED=<seed>} to see the same examples again.
 */
class RoutingEnginePropertiesTest {

    static final List<String> TEAMS = List.of("sales", "support");
    static final List<String> SKILLS = List.of("saas", "fintech", "hardware");
    static final List<String> LANGUAGES = List.of("en", "de", "fr");
    /** Country, region and postal-prefix territories over the places leads come from. */
    static final List<String> TERRITORIES = List.of("US", "US-CA", "US-NY", "US:941", "US:100", "DE", "DE-BE", "DE:10",
            "GB", "GB:SW1", "FR");
    static final List<Place> PLACES = List.of(new Place("US", "CA", "94105"), new Place("US", "CA", "90012"),
            new Place("US", "NY", "10001"), new Place("US", null, null), new Place("DE", "BE", "10115"),
            new Place("DE", "BY", "80331"), new Place("GB", null, "sw1a 1aa"), new Place("FR", null, "75001"));
    /** Zones on both sides of UTC, with and without daylight saving, one off the whole hour. */
    static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"),
            ZoneId.of("America/Los_Angeles"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Pacific/Auckland"));
    static final int MAX_ROSTER = 30;
    /** Rep ids are "rep-<index in roster>"; leads decline or miss from the same ids so those constraints bite. */
    static final List<String> REP_IDS = IntStream.range(0, MAX_ROSTER).mapToObj(i -> "rep-" + i).toList();
    /** The constraints about the lead and rep themselves: waiting cannot lift them. */
    static final Set<Exclusion> LASTING = EnumSet.range(Exclusion.INACTIVE, Exclusion.TIER);
    static final Map<Criterion, Exclusion> RELAXES = Map.of(Criterion.SKILLS, Exclusion.MISSING_SKILL, Criterion.LANGUAGE,
            Exclusion.LANGUAGE, Criterion.TERRITORY, Exclusion.TERRITORY, Criterion.TIER, Exclusion.TIER);
    /** Shrinking steps after a falsified example (QuickTheories' default is 100 per configured example). */
    static final int SHRINK_CYCLES = 2_000;
    static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    final RoutingEngine engine = new RoutingEngine();

    record Place(String country, String region, String postalCode) {
    }

    record Scenario(LeadFacts lead, List<RepFacts> reps, RoutingRules rules, Instant now) {

        Ranking rank(RoutingEngine engine) {
            return engine.rank(lead, reps, rules, now);
        }
    }

    @Test
    void rankedRepsSatisfyEveryHardConstraintAndEveryEligibleRepIsRanked() {
        int[] tries = new int[1];
        int[] someoneRanked = new int[1];
        int[] relaxedByTheChain = new int[1];
        qt().withExamples(250).withShrinkCycles(SHRINK_CYCLES).forAll(scenarios()).checkAssert(s -> {
            Ranking ranking = s.rank(engine);
            Set<Criterion> relaxed = criteria(ranking.relaxed());

            assertThat(ranking.candidates()).extracting(CandidateTrace::repId)
                    .containsExactlyInAnyOrderElementsOf(s.reps().stream().map(RepFacts::id).toList());
            for (RepFacts rep : s.reps()) {
                Set<Exclusion> violated = violations(s.lead(), rep, s.rules(), s.now(), relaxed);
                CandidateTrace trace = candidate(ranking, rep.id());
                if (violated.isEmpty()) {
                    assertThat(trace.eligible()).as("%s satisfies every constraint", rep.id()).isTrue();
                    assertThat(ranking.ranked()).contains(rep.id());
                } else {
                    assertThat(ranking.ranked()).as("%s violates %s", rep.id(), violated).doesNotContain(rep.id());
                    assertThat(trace.eligible()).isFalse();
                    assertThat(trace.exclusion()).as("the first constraint %s fails, in evaluation order", rep.id())
                            .isEqualTo(violated.iterator().next());
                    assertThat(trace.detail()).isNotBlank();
                    assertThat(trace.score()).isNull();
                }
            }
            if (!ranking.ranked().isEmpty()) {
                assertThat(ranking.anyFreeCapacity()).as("a ranked rep has room").isTrue();
            }

            tries[0]++;
            someoneRanked[0] += ranking.ranked().isEmpty() ? 0 : 1;
            relaxedByTheChain[0] += ranking.relaxed().size() > s.lead().relaxed().size() ? 1 : 0;
        });
        // the generators must reach both sides of the property often enough for it to say something
        assertThat(100.0 * someoneRanked[0] / tries[0]).as("%% of examples with someone ranked").isGreaterThan(15);
        assertThat(100.0 * relaxedByTheChain[0] / tries[0]).as("%% of examples relaxed by the chain").isGreaterThan(3);
    }

    @Test
    void rankingIsDeterministicAndIndependentOfRosterOrder() {
        qt().withExamples(200).withShrinkCycles(SHRINK_CYCLES).forAll(scenarios(), longs().all()).checkAssert((s, seed) -> {
            Ranking ranking = s.rank(engine);
            assertThat(s.rank(engine)).isEqualTo(ranking);

            List<RepFacts> shuffled = new ArrayList<>(s.reps());
            Collections.shuffle(shuffled, new Random(seed));
            Ranking reordered = engine.rank(s.lead(), shuffled, s.rules(), s.now());
            assertThat(reordered.ranked()).isEqualTo(ranking.ranked());
            assertThat(reordered.candidates()).isEqualTo(ranking.candidates());
            assertThat(reordered).isEqualTo(ranking);
        });
    }

    /**
     * Exact weighted fairness under the stronger factors: the ranked list is ordered by fit (best first), then among
     * equal fit by deficit (furthest behind first), then the longest idle and headroom, whatever the score says; and the trace
     * names the step that put the first rep ahead of the second.
     */
    @Test
    void rankingIsFitThenWeightedDeficitThenIdleThenHeadroom() {
        qt().withExamples(300).withShrinkCycles(SHRINK_CYCLES).forAll(scenarios()).checkAssert(s -> {
            Ranking ranking = s.rank(engine);
            List<CandidateTrace> ranked = ranking.ranked().stream().map(id -> candidate(ranking, id)).toList();
            for (int i = 1; i < ranked.size(); i++) {
                CandidateTrace ahead = ranked.get(i - 1);
                CandidateTrace next = ranked.get(i);
                assertThat(ahead.fit()).isGreaterThanOrEqualTo(next.fit());
                if (ahead.fit().equals(next.fit())) {
                    assertThat(ahead.deficit()).isGreaterThanOrEqualTo(next.deficit());
                    if (ahead.deficit().equals(next.deficit())) {
                        Instant aheadLast = repOf(s, ahead.repId()).lastAssignedAt();
                        Instant nextLast = repOf(s, next.repId()).lastAssignedAt();
                        assertThat(aheadLast == null || nextLast != null && !aheadLast.isAfter(nextLast))
                                .as("longest idle first").isTrue();
                    }
                }
            }
            if (ranked.size() >= 2) {
                CandidateTrace first = ranked.get(0);
                CandidateTrace second = ranked.get(1);
                String expected = !first.fit().equals(second.fit()) ? "fit"
                        : !first.deficit().equals(second.deficit()) ? "fairness"
                        : !java.util.Objects.equals(repOf(s, first.repId()).lastAssignedAt(), repOf(s, second.repId()).lastAssignedAt()) ? "idle"
                        : !first.components().get("headroom").equals(second.components().get("headroom")) ? "headroom" : "tieBreak";
                assertThat(ranking.decidedBy()).isEqualTo(expected);
            } else {
                assertThat(ranking.decidedBy()).isEqualTo(ranked.isEmpty() ? null : "onlyEligible");
            }
        });
    }

    private static RepFacts repOf(Scenario s, String id) {
        return s.reps().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void scoresAreWeightedMeansOfUnitComponents() {
        qt().withExamples(200).withShrinkCycles(SHRINK_CYCLES).forAll(scenarios()).checkAssert(s -> {
            Ranking ranking = s.rank(engine);
            Map<String, Double> weights = s.rules().weights().asMap();
            double totalWeight = weights.values().stream().mapToDouble(Double::doubleValue).sum();
            for (String repId : ranking.ranked()) {
                CandidateTrace trace = candidate(ranking, repId);
                assertThat(trace.components()).containsOnlyKeys(weights.keySet());
                assertThat(trace.components().values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
                assertThat(trace.score()).isBetween(0.0, 1.0);
                double weightedMean = weights.entrySet().stream()
                        .mapToDouble(w -> w.getValue() * trace.components().get(w.getKey())).sum() / totalWeight;
                assertThat(trace.score()).isCloseTo(weightedMean, within(0.0006));
            }
        });
    }

    @Test
    void theFallbackChainRelaxesAPrefixOfItsCriteriaOnlyWhileNobodyQualifies() {
        qt().withExamples(250).withShrinkCycles(SHRINK_CYCLES).forAll(scenarios()).checkAssert(s -> {
            Ranking ranking = s.rank(engine);
            Set<Criterion> own = s.lead().relaxed();
            List<Criterion> chain = s.rules().fallback().stream().filter(c -> !own.contains(c)).toList();
            Set<Criterion> added = criteria(ranking.relaxed());
            added.removeAll(own);

            assertThat(ranking.relaxed()).containsAll(own).doesNotHaveDuplicates();
            assertThat(added).as("relaxed in the chain's order, one at a time")
                    .isEqualTo(criteria(chain.subList(0, added.size())));
            for (int step = 0; step < added.size(); step++) {
                Set<Criterion> before = criteria(own);
                before.addAll(chain.subList(0, step));
                assertThat(nobodyQualifies(s, before)).as("%s relaxed although someone qualified with %s", chain.get(step), before)
                        .isTrue();
            }
            Set<Criterion> relaxed = criteria(ranking.relaxed());
            assertThat(ranking.nobodyQualifies()).isEqualTo(nobodyQualifies(s, relaxed));
            if (ranking.nobodyQualifies() && added.size() < chain.size()) {
                assertThat(s.reps()).as("the chain stops early only when relaxing cannot help anyone")
                        .allSatisfy(rep -> assertThat(violations(s.lead(), rep, s.rules(), s.now(), relaxed))
                                .containsAnyOf(Exclusion.INACTIVE, Exclusion.OTHER_TEAM, Exclusion.DECLINED_BEFORE,
                                        Exclusion.MISSED_BEFORE));
            }
        });
    }

    /** Over many leads, identical reps come first about equally often, whatever the roster order. */
    @Test
    void tiesSpreadEvenlyOverIdenticalReps() {
        qt().withExamples(15).withShrinkCycles(100).forAll(integers().between(2, 8), repIdSets(), longs().all())
                .checkAssert((size, pool, seed) -> {
                    Random random = new Random(seed);
                    List<RepFacts> identical = pool.subList(0, size).stream().map(RoutingEngineTest::rep).toList();
                    int leads = 2_000;
                    Map<String, Integer> firstPlaces = new HashMap<>();
                    for (int i = 0; i < leads; i++) {
                        LeadFacts lead = LeadFacts.of(new UUID(random.nextLong(), random.nextLong()), "sales");
                        firstPlaces.merge(engine.rank(lead, identical, RoutingRules.DEFAULT, RoutingEngineTest.NOW).ranked().get(0),
                                1, Integer::sum);
                    }
                    // each share within half of the fair one either way: over 7 standard deviations for 8 reps, yet
                    // far from what a roster-order or otherwise biased tie-break gives
                    double fair = (double) leads / size;
                    assertThat(firstPlaces).hasSize(size);
                    assertThat(firstPlaces.values())
                            .allSatisfy(n -> assertThat(n).isBetween((int) (fair * 0.5), (int) (fair * 1.5)));
                });
    }

    // --- the oracle: the hard constraints restated from the facts

    /** Every hard constraint the rep fails for being offered the lead, in evaluation order. */
    static Set<Exclusion> violations(LeadFacts lead, RepFacts rep, RoutingRules rules, Instant now, Set<Criterion> relaxed) {
        Set<Exclusion> violated = EnumSet.noneOf(Exclusion.class);
        if (!rep.active()) {
            violated.add(Exclusion.INACTIVE);
        }
        if (!rep.team().equals(lead.team())) {
            violated.add(Exclusion.OTHER_TEAM);
        }
        if (lead.declinedBy().contains(rep.id())) {
            violated.add(Exclusion.DECLINED_BEFORE);
        }
        if (lead.missedBy().contains(rep.id())) {
            violated.add(Exclusion.MISSED_BEFORE);
        }
        if (lead.requiredSkills().entrySet().stream().anyMatch(s -> rep.skills().getOrDefault(s.getKey(), 0) < s.getValue())) {
            violated.add(Exclusion.MISSING_SKILL);
        }
        if (rules.requireLanguage() && lead.language() != null && !rep.languages().isEmpty()
                && !rep.languages().contains(lead.language())) {
            violated.add(Exclusion.LANGUAGE);
        }
        if (rules.requireTerritory() && lead.country() != null && !rep.territories().isEmpty()
                && rep.territories().stream().noneMatch(t -> covers(t, lead))) {
            violated.add(Exclusion.TERRITORY);
        }
        if (!lead.tiers().isEmpty() && (rep.tier() == null || !lead.tiers().contains(rep.tier()))) {
            violated.add(Exclusion.TIER);
        }
        relaxed.forEach(c -> violated.remove(RELAXES.get(c)));
        if (rep.outOfOffice().stream().anyMatch(a -> !a.from().isAfter(now) && a.to().isAfter(now))) {
            violated.add(Exclusion.OUT_OF_OFFICE);
        }
        if (!rep.workingHours().isEmpty() && !working(rep, now)) {
            violated.add(Exclusion.OUTSIDE_HOURS);
        }
        if (rep.presence() != Presence.AVAILABLE) {
            violated.add(Exclusion.NOT_AVAILABLE);
        }
        if (!rep.connected()) {
            violated.add(Exclusion.DISCONNECTED);
        }
        if (rep.maxLoad() - rep.activeLoad() < lead.loadPoints()) {
            violated.add(Exclusion.AT_CAPACITY);
        }
        if (used(rep.usage().day()) >= limit(rep.caps().day()) || used(rep.usage().week()) >= limit(rep.caps().week())
                || used(rep.usage().month()) >= limit(rep.caps().month())) {
            violated.add(Exclusion.CAP_REACHED);
        }
        return violated;
    }

    /** "US" covers the country, "US-CA" the region, "US:941" postal codes starting 941 (compared without case or spaces). */
    static boolean covers(String territory, LeadFacts lead) {
        String[] postal = territory.split(":", 2);
        if (postal.length == 2) {
            return postal[0].equals(lead.country()) && lead.postalCode() != null
                    && lead.postalCode().replace(" ", "").toUpperCase().startsWith(postal[1]);
        }
        String[] region = territory.split("-", 2);
        if (region.length == 2) {
            return region[0].equals(lead.country()) && region[1].equals(lead.region());
        }
        return territory.equals(lead.country());
    }

    static boolean working(RepFacts rep, Instant now) {
        ZonedDateTime local = now.atZone(rep.zone());
        LocalTime time = local.toLocalTime();
        return rep.workingHours().getOrDefault(local.getDayOfWeek(), List.of()).stream()
                .anyMatch(w -> !time.isBefore(w.start()) && (w.end() == null || time.isBefore(w.end())));
    }

    /** The team has active reps and each fails some lasting constraint. */
    static boolean nobodyQualifies(Scenario s, Set<Criterion> relaxed) {
        List<RepFacts> team = s.reps().stream().filter(r -> r.active() && r.team().equals(s.lead().team())).toList();
        return !team.isEmpty() && team.stream().allMatch(rep -> violations(s.lead(), rep, s.rules(), s.now(), relaxed)
                .stream().anyMatch(LASTING::contains));
    }

    private static int used(Integer count) {
        return count == null ? 0 : count;
    }

    private static int limit(Integer cap) {
        return cap == null ? Integer.MAX_VALUE : cap;
    }

    private static Set<Criterion> criteria(List<Criterion> list) {
        return list.isEmpty() ? EnumSet.noneOf(Criterion.class) : EnumSet.copyOf(list);
    }

    private static Set<Criterion> criteria(Set<Criterion> set) {
        return set.isEmpty() ? EnumSet.noneOf(Criterion.class) : EnumSet.copyOf(set);
    }

    private static CandidateTrace candidate(Ranking ranking, String repId) {
        return ranking.candidates().stream().filter(c -> c.repId().equals(repId)).findFirst().orElseThrow();
    }


    // --- generators: small pools of teams, skills, languages and places, so reps and leads often meet

    static Gen<Scenario> scenarios() {
        Gen<Instant> moments = longs()
                .between(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond(), Instant.parse("2027-01-01T00:00:00Z").getEpochSecond())
                .map(seconds -> Instant.ofEpochSecond(seconds));
        return moments.zip(leads(), rosters(), rules(), (now, lead, drafts, rules) -> new Scenario(lead,
                IntStream.range(0, drafts.size()).mapToObj(i -> drafts.get(i).at(now, i)).toList(), rules, now));
    }

    /** Eight distinct alphanumeric ids of 1 to 12 characters. */
    static Gen<List<String>> repIdSets() {
        Gen<String> ids = lists().of(Generate.pick(ALPHANUMERIC.chars().mapToObj(c -> (char) c).toList())).ofSizeBetween(1, 12)
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
        return lists().of(ids).ofSize(8).assuming(list -> Set.copyOf(list).size() == list.size());
    }

    static Gen<LeadFacts> leads() {
        Gen<UUID> ids = longs().all().zip(longs().all(), UUID::new);
        Gen<Map<String, Object>> fields = Fields.none()
                .put("team", weighted(Pair.of(4, "sales"), Pair.of(1, "support")))
                .put("loadPoints", integers().between(1, 3))
                .put("requiredSkills", sometimes(30, mapsOf(distinct(SKILLS, 0, 2), integers().between(1, 5))))
                .put("language", sometimes(70, Generate.pick(LANGUAGES)))
                .use(sometimes(80, Generate.pick(PLACES)), (f, place) -> place == null ? f
                        : with(with(with(f, "country", place.country()), "region", place.region()), "postalCode", place.postalCode()))
                .put("value", sometimes(60, longs().between(0, 20_000_000).map(cents -> cents / 100.0)))
                .put("tiers", sometimes(25, distinct(List.of(1, 2, 3, 4), 1, 2).map(RoutingEnginePropertiesTest::setOf)))
                .put("declinedBy", sometimes(30, distinct(REP_IDS.subList(0, 5), 0, 2).map(RoutingEnginePropertiesTest::setOf)))
                .put("missedBy", sometimes(20, distinct(REP_IDS.subList(0, 5), 0, 2).map(RoutingEnginePropertiesTest::setOf)))
                .put("relaxed", sometimes(15, distinct(List.of(Criterion.values()), 1, 2).map(RoutingEnginePropertiesTest::setOf)))
                .gen();
        return ids.zip(fields, RoutingEngineTest::lead);
    }

    static Gen<List<RepDraft>> rosters() {
        Gen<RepDraft> drafts = repFields().zip(sometimes(20, absences()), sometimes(70, idleTimes()), RepDraft::new);
        return lists().of(drafts).ofSizeBetween(1, MAX_ROSTER);
    }

    /**
     * A generated rep whose absences and last assignment are relative to the moment of the decision
     * (generated independently, so no generator depends on another's value).
     */
    record RepDraft(Map<String, Object> fields, List<RelativeAbsence> absences, Duration idleFor) {

        RepFacts at(Instant now, int index) {
            Map<String, Object> placed = with(fields, "lastAssignedAt", idleFor == null ? null : now.minus(idleFor));
            placed = with(placed, "outOfOffice", absences == null ? null : absences.stream().map(a -> a.at(now)).toList());
            return rep(REP_IDS.get(index), placed);
        }
    }

    record RelativeAbsence(Duration start, Duration length) {

        RepFacts.Absence at(Instant now) {
            return new RepFacts.Absence(now.plus(start), now.plus(start).plus(length));
        }
    }

    /** A rep's fields by name (see {@link RoutingEngineTest#rep(String, Map)}); absent ones keep that helper's default. */
    static Gen<Map<String, Object>> repFields() {
        Gen<Integer> counts = integers().between(0, 6);
        Gen<Integer> caps = sometimes(50, integers().between(0, 6));
        return Fields.none()
                .put("team", weighted(Pair.of(4, "sales"), Pair.of(1, "support")))
                .put("active", weighted(Pair.of(9, true), Pair.of(1, false)))
                .put("presence", weighted(Pair.of(7, Presence.AVAILABLE), Pair.of(1, Presence.BUSY), Pair.of(1, Presence.AWAY),
                        Pair.of(1, Presence.OFFLINE)))
                .put("connected", weighted(Pair.of(9, true), Pair.of(1, false)))
                .put("maxLoad", integers().between(0, 5))
                .put("activeLoad", integers().between(0, 4))
                .put("skills", mapsOf(distinct(SKILLS, 0, 3), integers().between(1, 5)))
                .put("languages", distinct(LANGUAGES, 0, 2).map(RoutingEnginePropertiesTest::setOf))
                .put("territories", distinct(TERRITORIES, 0, 3).map(RoutingEnginePropertiesTest::setOf))
                .put("tier", sometimes(80, integers().between(1, 4)))
                .put("weight", integers().between(1, 50).map(tenths -> tenths / 10.0))
                .put("zone", Generate.pick(ZONES))
                .put("workingHours", sometimes(30, workingHours()))
                .put("caps", sometimes(40, caps.zip(caps, caps, RepFacts.Caps::new)))
                .put("usage", counts.zip(counts, counts, RepFacts.Caps::new))
                .put("assigned", longs().between(0, 20))
                .gen();
    }

    /** Up to two windows on some weekdays, on half hours, from 00:00 up to 24:00 (an open end). */
    static Gen<Map<DayOfWeek, List<RepFacts.Window>>> workingHours() {
        Gen<RepFacts.Window> windows = integers().between(0, 47).flatMap(start -> integers().between(start + 1, 48)
                .map(end -> new RepFacts.Window(halfHour(start), end == 48 ? null : halfHour(end))));
        return mapsOf(distinct(List.of(DayOfWeek.values()), 1, 7), lists().of(windows).ofSizeBetween(1, 2));
    }

    /** Absences around the moment of the decision, so some cover it and some just miss it. */
    static Gen<List<RelativeAbsence>> absences() {
        Gen<Duration> starts = longs().between(-Duration.ofDays(3).toSeconds(), Duration.ofDays(1).toSeconds())
                .map(seconds -> Duration.ofSeconds(seconds));
        Gen<Duration> lengths = longs().between(1, Duration.ofDays(4).toSeconds()).map(seconds -> Duration.ofSeconds(seconds));
        return lists().of(starts.zip(lengths, RelativeAbsence::new)).ofSizeBetween(1, 2);
    }

    static Gen<Duration> idleTimes() {
        return longs().between(0, Duration.ofHours(3).toSeconds()).map(seconds -> Duration.ofSeconds(seconds));
    }

    static Gen<RoutingRules> rules() {
        Gen<Double> weight = integers().between(0, 100).map(tenths -> tenths / 10.0);
        Gen<Weights> weights = lists().of(weight).ofSize(7)
                .map(w -> new Weights(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), w.get(5), w.get(6)))
                .assuming(w -> w.asMap().values().stream().mapToDouble(Double::doubleValue).sum() > 0);
        Gen<List<RoutingRules.ValueTier>> valueTiers = lists()
                .of(integers().between(0, 150_000).zip(integers().between(1, 4), (min, tier) -> new RoutingRules.ValueTier(min, tier)))
                .ofSizeBetween(0, 3)
                .map(tiers -> tiers.stream().sorted((a, b) -> Double.compare(b.minValue(), a.minValue())).toList());
        Gen<Duration> idleSaturation = longs().between(1, Duration.ofDays(7).toSeconds()).map(seconds -> Duration.ofSeconds(seconds));
        Gen<List<Criterion>> fallback = distinct(List.of(Criterion.values()), 0, 4);
        Gen<List<Boolean>> requirements = lists().of(booleans().all()).ofSize(2);
        return requirements.zip(weights, valueTiers, idleSaturation, fallback,
                (required, w, tiers, saturation, chain) -> new RoutingRules(required.get(0), required.get(1), w, tiers, saturation,
                        chain));
    }

    /** Between {@code min} and {@code max} distinct elements of {@code pool}, in random order. */
    static <T> Gen<List<T>> distinct(List<T> pool, int min, int max) {
        Gen<Integer> sizes = integers().between(min, max);
        return in -> {
            List<T> left = new ArrayList<>(pool);
            List<T> picked = new ArrayList<>();
            for (int n = sizes.generate(in); n > 0; n--) {
                int index = integers().between(0, left.size() - 1).generate(in);
                picked.add(left.remove(index));
            }
            return List.copyOf(picked);
        };
    }

    /** A map from each of the generated keys to a generated value. */
    static <K, V> Gen<Map<K, V>> mapsOf(Gen<List<K>> keys, Gen<V> values) {
        return in -> {
            Map<K, V> map = new LinkedHashMap<>();
            keys.generate(in).forEach(key -> map.put(key, values.generate(in)));
            return Collections.unmodifiableMap(map);
        };
    }

    /** Each value as often as its weight says. */
    @SafeVarargs
    static <T> Gen<T> weighted(Pair<Integer, T>... weightedValues) {
        return Generate.frequency(
                Arrays.stream(weightedValues).map(p -> Pair.of(p._1, Generate.constant(p._2))).toList());
    }

    /** A value in {@code percent} of the examples, otherwise null: the field keeps its default. */
    static <T> Gen<T> sometimes(int percent, Gen<T> values) {
        Gen<T> absent = in -> null;
        return Generate.frequency(List.of(Pair.of(100 - percent, absent), Pair.of(percent, values)));
    }

    /** A set keeping the generated order, so a seed replays the same iteration order. */
    static <T> Set<T> setOf(List<T> elements) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(elements));
    }

    private static LocalTime halfHour(int index) {
        return LocalTime.of(index / 2, index % 2 * 30);
    }

    /** Field maps by name, one generated field at a time; the maps stay immutable, so examples never share state. */
    record Fields(Gen<Map<String, Object>> gen) {

        static Fields none() {
            return new Fields(Generate.constant(Map.of()));
        }

        <T> Fields put(String field, Gen<T> values) {
            return use(values, RoutingEnginePropertiesTest.put(field));
        }

        <T> Fields use(Gen<T> values, BiFunction<Map<String, Object>, T, Map<String, Object>> in) {
            return new Fields(gen.zip(values, in));
        }
    }

    /** Builder step setting one field; a null value (a field generated only sometimes) leaves it at the default. */
    private static <T> BiFunction<Map<String, Object>, T, Map<String, Object>> put(String field) {
        return (fields, value) -> with(fields, field, value);
    }

    private static Map<String, Object> with(Map<String, Object> fields, String field, Object value) {
        if (value == null) {
            return fields;
        }
        Map<String, Object> copy = new HashMap<>(fields);
        copy.put(field, value);
        return Map.copyOf(copy);
    }
}
