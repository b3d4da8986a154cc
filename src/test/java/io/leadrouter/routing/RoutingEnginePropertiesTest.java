package io.leadrouter.routing;

import static io.leadrouter.routing.RoutingEngineTest.lead;
import static io.leadrouter.routing.RoutingEngineTest.rep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;


/**
 * Properties of the routing decision over random rosters, leads, policies and moments. The hard
 * constraints are restated here from the facts ({@link #violations}) rather than asked of the
 * engine, so a constraint the engine forgets or misreads shows up as a disagreement.
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

    final RoutingEngine engine = new RoutingEngine();

    record Place(String country, String region, String postalCode) {
    }

    record Scenario(LeadFacts lead, List<RepFacts> reps, RoutingRules rules, Instant now) {

        Ranking rank(RoutingEngine engine) {
            return engine.rank(lead, reps, rules, now);
        }
    }

    @Property(tries = 250)
    void rankedRepsSatisfyEveryHardConstraintAndEveryEligibleRepIsRanked(@ForAll("scenarios") Scenario s) {
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

        Statistics.label("someone ranked").collect(!ranking.ranked().isEmpty());
        Statistics.label("relaxed by the chain").collect(ranking.relaxed().size() > s.lead().relaxed().size());
        Statistics.label("someone ranked").coverage(c -> c.check(true).percentage(p -> p > 15));
        Statistics.label("relaxed by the chain").coverage(c -> c.check(true).percentage(p -> p > 3));
    }

    @Property(tries = 200)
    void rankingIsDeterministicAndIndependentOfRosterOrder(@ForAll("scenarios") Scenario s, @ForAll Random random) {
        Ranking ranking = s.rank(engine);
        assertThat(s.rank(engine)).isEqualTo(ranking);

        List<RepFacts> shuffled = new ArrayList<>(s.reps());
        Collections.shuffle(shuffled, random);
        Ranking reordered = engine.rank(s.lead(), shuffled, s.rules(), s.now());
        assertThat(reordered.ranked()).isEqualTo(ranking.ranked());
        assertThat(reordered.candidates()).isEqualTo(ranking.candidates());
        assertThat(reordered).isEqualTo(ranking);
    }

    @Property(tries = 200)
    void scoresAreWeightedMeansOfUnitComponentsAndRankedBestFirst(@ForAll("scenarios") Scenario s) {
        Ranking ranking = s.rank(engine);
        Map<String, Double> weights = s.rules().weights().asMap();
        double totalWeight = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Double> rankedScores = new ArrayList<>();
        for (String repId : ranking.ranked()) {
            CandidateTrace trace = candidate(ranking, repId);
            assertThat(trace.components()).containsOnlyKeys(weights.keySet());
            assertThat(trace.components().values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
            assertThat(trace.score()).isBetween(0.0, 1.0);
            double weightedMean = weights.entrySet().stream()
                    .mapToDouble(w -> w.getValue() * trace.components().get(w.getKey())).sum() / totalWeight;
            assertThat(trace.score()).isCloseTo(weightedMean, within(0.0006));
            rankedScores.add(trace.score());
        }
        assertThat(rankedScores).isSortedAccordingTo(Collections.reverseOrder());
    }

    @Property(tries = 250)
    void theFallbackChainRelaxesAPrefixOfItsCriteriaOnlyWhileNobodyQualifies(@ForAll("scenarios") Scenario s) {
        Ranking ranking = s.rank(engine);
        Set<Criterion> own = s.lead().relaxed();
        List<Criterion> chain = s.rules().fallback().stream().filter(c -> !own.contains(c)).toList();
        Set<Criterion> added = criteria(ranking.relaxed());
        added.removeAll(own);

        assertThat(ranking.relaxed()).containsAll(own).doesNotHaveDuplicates();
        assertThat(added).as("relaxed in the chain's order, one at a time").isEqualTo(criteria(chain.subList(0, added.size())));
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
    }

    /** Over many leads, identical reps come first about equally often, whatever the roster order. */
    @Property(tries = 15)
    void tiesSpreadEvenlyOverIdenticalReps(@ForAll @IntRange(min = 2, max = 8) int size, @ForAll("repIdSets") List<String> pool,
            @ForAll Random random) {
        List<RepFacts> identical = pool.subList(0, size).stream().map(RoutingEngineTest::rep).toList();
        int leads = 2_000;
        Map<String, Integer> firstPlaces = new HashMap<>();
        for (int i = 0; i < leads; i++) {
            LeadFacts lead = LeadFacts.of(new UUID(random.nextLong(), random.nextLong()), "sales");
            firstPlaces.merge(engine.rank(lead, identical, RoutingRules.DEFAULT, RoutingEngineTest.NOW).ranked().get(0), 1,
                    Integer::sum);
        }
        // each share within half of the fair one either way: over 7 standard deviations for 8 reps, yet
        // far from what a roster-order or otherwise biased tie-break gives
        double fair = (double) leads / size;
        assertThat(firstPlaces).hasSize(size);
        assertThat(firstPlaces.values()).allSatisfy(n -> assertThat(n).isBetween((int) (fair * 0.5), (int) (fair * 1.5)));
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

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Instant> moments = Arbitraries.longs()
                .between(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond(), Instant.parse("2027-01-01T00:00:00Z").getEpochSecond())
                .map(Instant::ofEpochSecond);
        return Combinators.combine(moments, leads(), rosters(), rules())
                .as((now, lead, drafts, rules) -> new Scenario(lead,
                        IntStream.range(0, drafts.size()).mapToObj(i -> drafts.get(i).at(now, i)).toList(), rules, now));
    }

    @Provide
    Arbitrary<List<String>> repIdSets() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).list().uniqueElements().ofSize(8);
    }

    Arbitrary<LeadFacts> leads() {
        Arbitrary<UUID> ids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
        Arbitrary<Map<String, Object>> fields = Builders.withBuilder(() -> Map.<String, Object> of())
                .use(Arbitraries.frequency(Tuple.of(4, "sales"), Tuple.of(1, "support"))).in(put("team"))
                .use(Arbitraries.integers().between(1, 3)).in(put("loadPoints"))
                .use(Arbitraries.maps(Arbitraries.of(SKILLS), Arbitraries.integers().between(1, 5)).ofMaxSize(2))
                .withProbability(0.3).in(put("requiredSkills"))
                .use(Arbitraries.of(LANGUAGES)).withProbability(0.7).in(put("language"))
                .use(Arbitraries.of(PLACES)).withProbability(0.8).in((f, place) -> with(with(with(f, "country", place.country()),
                        "region", place.region()), "postalCode", place.postalCode()))
                .use(Arbitraries.doubles().between(0, 200_000).ofScale(2)).withProbability(0.6).in(put("value"))
                .use(Arbitraries.integers().between(1, 4).set().ofMinSize(1).ofMaxSize(2)).withProbability(0.25).in(put("tiers"))
                .use(Arbitraries.of(REP_IDS.subList(0, 5)).set().ofMaxSize(2)).withProbability(0.3).in(put("declinedBy"))
                .use(Arbitraries.of(REP_IDS.subList(0, 5)).set().ofMaxSize(2)).withProbability(0.2).in(put("missedBy"))
                .use(Arbitraries.of(Criterion.class).set().ofMinSize(1).ofMaxSize(2)).withProbability(0.15).in(put("relaxed"))
                .build();
        return Combinators.combine(ids, fields).as(RoutingEngineTest::lead);
    }

    Arbitrary<List<RepDraft>> rosters() {
        return Combinators.combine(repFields(), absences().injectNull(0.8), idleTimes().injectNull(0.3)).as(RepDraft::new)
                .list().ofMinSize(1).ofMaxSize(MAX_ROSTER);
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
    Arbitrary<Map<String, Object>> repFields() {
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, 6);
        Arbitrary<Integer> caps = Arbitraries.integers().between(0, 6).injectNull(0.5);
        return Builders.withBuilder(() -> Map.<String, Object> of())
                .use(Arbitraries.frequency(Tuple.of(4, "sales"), Tuple.of(1, "support"))).in(put("team"))
                .use(Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false))).in(put("active"))
                .use(Arbitraries.frequency(Tuple.of(7, Presence.AVAILABLE), Tuple.of(1, Presence.BUSY), Tuple.of(1, Presence.AWAY),
                        Tuple.of(1, Presence.OFFLINE))).in(put("presence"))
                .use(Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false))).in(put("connected"))
                .use(Arbitraries.integers().between(0, 5)).in(put("maxLoad"))
                .use(Arbitraries.integers().between(0, 4)).in(put("activeLoad"))
                .use(Arbitraries.maps(Arbitraries.of(SKILLS), Arbitraries.integers().between(1, 5)).ofMaxSize(3)).in(put("skills"))
                .use(Arbitraries.of(LANGUAGES).set().ofMaxSize(2)).in(put("languages"))
                .use(Arbitraries.of(TERRITORIES).set().ofMaxSize(3)).in(put("territories"))
                .use(Arbitraries.integers().between(1, 4)).withProbability(0.8).in(put("tier"))
                .use(Arbitraries.doubles().between(0.1, 5).ofScale(1)).in(put("weight"))
                .use(Arbitraries.of(ZONES)).in(put("zone"))
                .use(workingHours()).withProbability(0.3).in(put("workingHours"))
                .use(Combinators.combine(caps, caps, caps).as(RepFacts.Caps::new)).withProbability(0.4).in(put("caps"))
                .use(Combinators.combine(counts, counts, counts).as(RepFacts.Caps::new)).in(put("usage"))
                .use(Arbitraries.longs().between(0, 20)).in(put("assigned"))
                .build();
    }

    /** Up to two windows on some weekdays, on half hours, from 00:00 up to 24:00 (an open end). */
    Arbitrary<Map<DayOfWeek, List<RepFacts.Window>>> workingHours() {
        Arbitrary<RepFacts.Window> windows = Arbitraries.integers().between(0, 47).flatMap(start -> Arbitraries.integers()
                .between(start + 1, 48).map(end -> new RepFacts.Window(halfHour(start), end == 48 ? null : halfHour(end))));
        return Arbitraries.maps(Arbitraries.of(DayOfWeek.class), windows.list().ofMinSize(1).ofMaxSize(2)).ofMinSize(1);
    }

    /** Absences around the moment of the decision, so some cover it and some just miss it. */
    Arbitrary<List<RelativeAbsence>> absences() {
        Arbitrary<Duration> starts = Arbitraries.longs().between(-Duration.ofDays(3).toSeconds(), Duration.ofDays(1).toSeconds())
                .map(Duration::ofSeconds);
        Arbitrary<Duration> lengths = Arbitraries.longs().between(1, Duration.ofDays(4).toSeconds()).map(Duration::ofSeconds);
        return Combinators.combine(starts, lengths).as(RelativeAbsence::new).list().ofMinSize(1).ofMaxSize(2);
    }

    Arbitrary<Duration> idleTimes() {
        return Arbitraries.longs().between(0, Duration.ofHours(3).toSeconds()).map(Duration::ofSeconds);
    }

    Arbitrary<RoutingRules> rules() {
        Arbitrary<Double> weight = Arbitraries.doubles().between(0, 10).ofScale(1);
        Arbitrary<Weights> weights = Combinators.combine(List.of(weight, weight, weight, weight, weight, weight, weight))
                .as(w -> new Weights(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), w.get(5), w.get(6)))
                .filter(w -> w.asMap().values().stream().mapToDouble(Double::doubleValue).sum() > 0);
        Arbitrary<List<RoutingRules.ValueTier>> valueTiers = Combinators
                .combine(Arbitraries.doubles().between(0, 150_000).ofScale(0), Arbitraries.integers().between(1, 4))
                .as(RoutingRules.ValueTier::new).list().ofMaxSize(3)
                .map(tiers -> tiers.stream().sorted((a, b) -> Double.compare(b.minValue(), a.minValue())).toList());
        Arbitrary<Duration> idleSaturation = Arbitraries.longs().between(1, Duration.ofDays(7).toSeconds()).map(Duration::ofSeconds);
        Arbitrary<List<Criterion>> fallback = Arbitraries.of(Criterion.class).list().uniqueElements().ofMaxSize(4);
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), weights, valueTiers, idleSaturation,
                fallback).as(RoutingRules::new);
    }

    private static LocalTime halfHour(int index) {
        return LocalTime.of(index / 2, index % 2 * 30);
    }

    /** Builder step setting one field; the field maps stay immutable, so generation and shrinking can reuse them. */
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
