package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadrouter.presence.Presence;

class RoutingEngineTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    final RoutingEngine engine = new RoutingEngine(new Random(7));

    static LeadFacts lead() {
        return new LeadFacts(UUID.randomUUID(), "sales", 1, Map.of(), null, null, null, Set.of(), Set.of());
    }

    static RepFacts rep(String id) {
        return new RepFacts(id, "sales", true, Presence.AVAILABLE, true, 2, 0, Map.of(), Set.of(), Set.of(), null);
    }

    private Exclusion exclusionOf(LeadFacts lead, RepFacts rep) {
        return engine.exclusion(lead, rep).map(CandidateTrace::exclusion).orElse(null);
    }

    @Test
    void anAvailableRepWithRoomIsEligible() {
        assertThat(exclusionOf(lead(), rep("a"))).isNull();
    }

    @Test
    void eachHardConstraintExcludesWithItsReason() {
        LeadFacts lead = lead();
        RepFacts ok = rep("a");
        assertThat(exclusionOf(lead, new RepFacts("a", "sales", false, Presence.AVAILABLE, true, 2, 0, Map.of(), Set.of(), Set.of(), null)))
                .isEqualTo(Exclusion.INACTIVE);
        assertThat(exclusionOf(lead, new RepFacts("a", "support", true, Presence.AVAILABLE, true, 2, 0, Map.of(), Set.of(), Set.of(), null)))
                .isEqualTo(Exclusion.OTHER_TEAM);
        for (Presence presence : List.of(Presence.BUSY, Presence.AWAY, Presence.OFFLINE)) {
            assertThat(exclusionOf(lead, new RepFacts("a", "sales", true, presence, true, 2, 0, Map.of(), Set.of(), Set.of(), null)))
                    .isEqualTo(Exclusion.NOT_AVAILABLE);
        }
        assertThat(exclusionOf(lead, new RepFacts("a", "sales", true, Presence.AVAILABLE, false, 2, 0, Map.of(), Set.of(), Set.of(), null)))
                .isEqualTo(Exclusion.DISCONNECTED);
        assertThat(exclusionOf(lead, new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 2, 2, Map.of(), Set.of(), Set.of(), null)))
                .isEqualTo(Exclusion.AT_CAPACITY);
        LeadFacts heavy = new LeadFacts(lead.id(), "sales", 2, Map.of(), null, null, null, Set.of(), Set.of());
        assertThat(exclusionOf(heavy, new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 2, 1, Map.of(), Set.of(), Set.of(), null)))
                .isEqualTo(Exclusion.AT_CAPACITY);
        assertThat(exclusionOf(heavy, ok)).isNull();
        assertThat(exclusionOf(new LeadFacts(lead.id(), "sales", 1, Map.of(), null, null, null, Set.of("a"), Set.of()), ok))
                .isEqualTo(Exclusion.DECLINED_BEFORE);
        assertThat(exclusionOf(new LeadFacts(lead.id(), "sales", 1, Map.of(), null, null, null, Set.of(), Set.of("a")), ok))
                .isEqualTo(Exclusion.MISSED_BEFORE);
    }

    @Test
    void skillsMustReachTheRequiredLevel() {
        LeadFacts needsSaas3 = new LeadFacts(UUID.randomUUID(), "sales", 1, Map.of("saas", 3), null, null, null, Set.of(), Set.of());
        assertThat(exclusionOf(needsSaas3, withSkills(Map.of("saas", 2)))).isEqualTo(Exclusion.MISSING_SKILL);
        assertThat(exclusionOf(needsSaas3, withSkills(Map.of()))).isEqualTo(Exclusion.MISSING_SKILL);
        assertThat(exclusionOf(needsSaas3, withSkills(Map.of("saas", 3)))).isNull();
        assertThat(exclusionOf(needsSaas3, withSkills(Map.of("saas", 5)))).isNull();
    }

    private static RepFacts withSkills(Map<String, Integer> skills) {
        return new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 2, 0, skills, Set.of(), Set.of(), null);
    }

    @Test
    void languageAndTerritoryApplyWhenTheLeadNamesThemAndTheRepIsRestricted() {
        LeadFacts german = new LeadFacts(UUID.randomUUID(), "sales", 1, Map.of(), "de", "DE", null, Set.of(), Set.of());
        LeadFacts californian = new LeadFacts(UUID.randomUUID(), "sales", 1, Map.of(), null, "US", "CA", Set.of(), Set.of());
        LeadFacts unplaced = lead();
        RepFacts english = new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 2, 0, Map.of(), Set.of("en"), Set.of(), null);
        RepFacts anyLanguage = rep("a");
        RepFacts usWest = new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 2, 0, Map.of(), Set.of(), Set.of("US-CA", "US-WA"), null);
        RepFacts germany = new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 2, 0, Map.of(), Set.of(), Set.of("DE"), null);
        RepFacts wholeUs = new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 2, 0, Map.of(), Set.of(), Set.of("US"), null);

        assertThat(exclusionOf(german, english)).isEqualTo(Exclusion.LANGUAGE);
        assertThat(exclusionOf(german, anyLanguage)).isNull();
        assertThat(exclusionOf(german, usWest)).isEqualTo(Exclusion.TERRITORY);
        assertThat(exclusionOf(german, germany)).isNull();
        assertThat(exclusionOf(californian, usWest)).isNull();
        assertThat(exclusionOf(californian, wholeUs)).isNull();
        assertThat(exclusionOf(californian, germany)).isEqualTo(Exclusion.TERRITORY);
        assertThat(exclusionOf(new LeadFacts(UUID.randomUUID(), "sales", 1, Map.of(), null, "US", null, Set.of(), Set.of()), usWest))
                .as("a lead without a region is not inside a region-restricted territory").isEqualTo(Exclusion.TERRITORY);
        assertThat(exclusionOf(unplaced, usWest)).isNull();
    }

    @Test
    void leadExclusionIgnoresPresenceForPulls() {
        RepFacts busy = new RepFacts("a", "sales", true, Presence.BUSY, true, 2, 0, Map.of(), Set.of(), Set.of(), null);
        assertThat(engine.exclusion(lead(), busy)).isPresent();
        assertThat(engine.leadExclusion(lead(), busy)).isEmpty();
        RepFacts full = new RepFacts("a", "sales", true, Presence.BUSY, true, 1, 1, Map.of(), Set.of(), Set.of(), null);
        assertThat(engine.leadExclusion(lead(), full).map(CandidateTrace::exclusion)).contains(Exclusion.AT_CAPACITY);
    }

    @Test
    void rankingTracesEveryRepAndPrefersHeadroomThenIdleTime() {
        RepFacts busyish = new RepFacts("busyish", "sales", true, Presence.AVAILABLE, true, 4, 2, Map.of(), Set.of(), Set.of(), NOW.minusSeconds(60));
        RepFacts free = new RepFacts("free", "sales", true, Presence.AVAILABLE, true, 4, 0, Map.of(), Set.of(), Set.of(), NOW.minusSeconds(60));
        RepFacts away = new RepFacts("away", "sales", true, Presence.AWAY, true, 4, 0, Map.of(), Set.of(), Set.of(), null);
        Ranking ranking = engine.rank(lead(), List.of(busyish, away, free), NOW);
        assertThat(ranking.ranked()).containsExactly("free", "busyish");
        assertThat(ranking.candidates()).extracting(CandidateTrace::repId).containsExactly("away", "busyish", "free");
        assertThat(ranking.candidates().get(0).exclusion()).isEqualTo(Exclusion.NOT_AVAILABLE);
        assertThat(ranking.candidates().get(2).components()).containsKeys("headroom", "idle");
        assertThat(ranking.anyFreeCapacity()).isTrue();

        RepFacts longIdle = new RepFacts("idle", "sales", true, Presence.AVAILABLE, true, 4, 0, Map.of(), Set.of(), Set.of(), NOW.minusSeconds(3000));
        assertThat(engine.rank(lead(), List.of(free, longIdle), NOW).ranked()).containsExactly("idle", "free");
    }

    @Test
    void tiesAreBrokenAtRandomNotByRosterOrder() {
        List<RepFacts> equals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            equals.add(rep("r" + i));
        }
        Map<String, Integer> firstPlaces = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            firstPlaces.merge(engine.rank(lead(), equals, NOW).ranked().get(0), 1, Integer::sum);
        }
        assertThat(firstPlaces).hasSize(4);
        assertThat(firstPlaces.values()).allSatisfy(count -> assertThat(count).isBetween(60, 140));
    }

    @Test
    void theSameSeedGivesTheSameRanking() {
        List<RepFacts> equals = List.of(rep("a"), rep("b"), rep("c"));
        LeadFacts lead = lead();
        assertThat(new RoutingEngine(new Random(1)).rank(lead, equals, NOW))
                .isEqualTo(new RoutingEngine(new Random(1)).rank(lead, equals, NOW));
    }

    @Test
    void aTeamWithoutFreeCapacityIsReportedFull() {
        RepFacts full = new RepFacts("a", "sales", true, Presence.AVAILABLE, true, 1, 1, Map.of(), Set.of(), Set.of(), null);
        RepFacts busy = new RepFacts("b", "sales", true, Presence.BUSY, true, 3, 0, Map.of(), Set.of(), Set.of(), null);
        assertThat(engine.rank(lead(), List.of(full, busy), NOW).anyFreeCapacity()).isFalse();
    }
}
