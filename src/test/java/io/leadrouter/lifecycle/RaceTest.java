package io.leadrouter.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;

/** Races that actually race, each followed by the invariants checked in SQL (1: one owner, 3: load, 5: nothing stuck). */
@QuarkusTest
class RaceTest extends SocketTest {

    @Test
    void manyConcurrentPullsOverFewerLeadsAssignEachLeadOnce() throws Exception {
        String team = Api.newTeam();
        int leads = 12;
        int reps = 30;
        List<AgentClient> agents = new ArrayList<>();
        try {
            for (int i = 0; i < reps; i++) {
                AgentClient agent = online(Api.rep(team));
                // BUSY: nothing is pushed to them, but a rep may always pull
                agent.send(Map.of("type", "status", "status", "BUSY"));
                agent.await("status");
                agents.add(agent);
            }
            Set<String> posted = new HashSet<>();
            for (int i = 0; i < leads; i++) {
                posted.add(Api.lead(team, "score", i * 8));
            }
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(reps);
            List<Future<?>> sends = new ArrayList<>();
            for (AgentClient agent : agents) {
                sends.add(threads.submit(() -> {
                    start.await();
                    agent.send(Map.of("type", "pull"));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> send : sends) {
                send.get();
            }
            threads.shutdown();

            List<String> assigned = new ArrayList<>();
            int empty = 0;
            for (AgentClient agent : agents) {
                JsonNode answer = awaitEither(agent, "assigned", "queue-empty");
                if (answer.path("type").asText().equals("assigned")) {
                    assigned.add(answer.path("lead").path("id").asText());
                } else {
                    empty++;
                }
            }
            assertThat(assigned).doesNotHaveDuplicates().hasSize(leads).containsExactlyInAnyOrderElementsOf(posted);
            assertThat(empty).isEqualTo(reps - leads);
            Database db = new Database(pool);
            assertThat(db.count("SELECT count(DISTINCT owner_rep_id) FROM lead WHERE team = $1 AND status = 'ASSIGNED'", team))
                    .isEqualTo(leads);
            assertThat(db.count("SELECT count(*) FROM decision d JOIN lead l ON l.id = d.lead_id WHERE l.team = $1 AND d.kind = 'PULL'", team))
                    .isEqualTo(leads);
        } finally {
            agents.forEach(AgentClient::close);
        }
    }

    /** A pull without caps does not lock the rep up front: the guarded reserve alone keeps its tabs within max load. */
    @Test
    void tabsOfOneRepPullingAtOnceNeverTakeMoreThanItsMaxLoad() throws Exception {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 2);
        List<AgentClient> tabs = new ArrayList<>();
        try {
            busyTabsOverSixLeads(rep, team, 5, tabs);
            raceAll(tabs.stream().<Runnable> map(tab -> () -> tab.send(Map.of("type", "pull"))).toArray(Runnable[]::new));
            Database db = new Database(pool);
            await().atMost(Duration.ofSeconds(10)).until(() -> db.count(
                    "SELECT count(*) FROM lead WHERE team = $1 AND status = 'ASSIGNED'", team) == 2
                    && db.count("SELECT count(*) FROM lead WHERE team = $1 AND status = 'QUEUED'", team) == 4);
            // the three pulls past the capacity are refused as such, never as a server error
            await().atMost(Duration.ofSeconds(10)).until(() -> tabs.stream().mapToInt(tab -> tab.all("error").size()).sum() == 3);
            assertThat(tabs.stream().flatMap(tab -> tab.all("error").stream()).map(error -> error.path("code").asText()))
                    .containsOnly("AT_CAPACITY");
            assertThat(db.count("SELECT active_load FROM rep WHERE id = $1", rep)).isEqualTo(2);
        } finally {
            tabs.forEach(AgentClient::close);
        }
    }

    /**
     * A pause racing the rep's pulls: every lead the rep pulled was assigned before the pause (its event comes first in
     * the log, whose ids are taken as the statements run).
     */
    @Test
    void aPauseRacingPullsLeavesNoLeadAssignedAfterIt() throws Exception {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 5);
        List<AgentClient> tabs = new ArrayList<>();
        try {
            busyTabsOverSixLeads(rep, team, 4, tabs);
            List<Runnable> actions = new ArrayList<>();
            tabs.forEach(tab -> actions.add(() -> tab.send(Map.of("type", "pull"))));
            actions.add(() -> Api.api().body(Map.of("reason", "race")).post("/api/v1/reps/{id}/pause", rep).then().statusCode(200));
            raceAll(actions.toArray(Runnable[]::new));
            Database db = new Database(pool);
            await().atMost(Duration.ofSeconds(10)).until(() -> db.count(
                    "SELECT count(*) FROM lead WHERE team = $1 AND status IN ('ASSIGNED', 'QUEUED')", team) == 6);
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(db.count("""
                    SELECT count(*) FROM lifecycle_event a, lifecycle_event p
                    WHERE a.type = 'lead.assigned' AND a.rep_id = $1 AND p.type = 'rep.paused' AND p.rep_id = $1 AND a.id > p.id""", rep))
                    .isZero();
            assertThat(db.count("SELECT active_load FROM rep WHERE id = $1", rep))
                    .isEqualTo(db.count("SELECT count(*) FROM lead WHERE team = $1 AND status = 'ASSIGNED'", team));
        } finally {
            tabs.forEach(AgentClient::close);
        }
    }

    @Test
    void twoTabsAcceptingOneOfferAssignItOnce() throws Exception {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 3);
        String token = Api.token(rep);
        String stranger = Api.rep(Api.newTeam());
        for (int round = 0; round < 5; round++) {
            try (AgentClient tab1 = AgentClient.connect(root, token); AgentClient tab2 = AgentClient.connect(root, token);
                    AgentClient other = online(stranger)) {
                tab1.await("welcome");
                tab2.await("welcome");
                String lead = Api.lead(team);
                JsonNode offer = tab1.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                tab2.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                Map<String, String> accept = Map.of("type", "accept", "offerId", offer.path("offerId").asText());
                raceAll(() -> tab1.send(accept), () -> tab2.send(accept), () -> other.send(accept));
                tab1.await("assigned", a -> a.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                tab2.await("assigned", a -> a.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                assertThat(other.await("error").path("code").asText()).isEqualTo("NOT_YOURS");
                // close it again so the next round has capacity
                tab1.send(Map.of("type", "close", "leadId", lead, "outcome", "CONTACTED"));
                tab1.await("closed");
            }
        }
        Database db = new Database(pool);
        assertThat(db.count("SELECT count(*) FROM offer o JOIN lead l ON l.id = o.lead_id WHERE l.team = $1 AND o.state = 'ACCEPTED'", team))
                .isEqualTo(5);
        assertThat(Api.getRep(rep).getInt("activeLoad")).isZero();
    }

    @Test
    void acceptRacingExpiryEndsEitherAssignedOrRequeuedNeverBoth() throws Exception {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 1);
        String token = Api.token(rep);
        int rounds = 6;
        int assignedCount = 0;
        int expiredCount = 0;
        for (int round = 0; round < rounds; round++) {
            try (AgentClient agent = AgentClient.connect(root, token)) {
                agent.await("welcome");
                agent.send(Map.of("type", "status", "status", "AVAILABLE"));
                String lead = Api.lead(team);
                JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                Instant expiresAt = Instant.parse(offer.path("expiresAt").asText());
                // aim at the deadline itself, a little before and after it by turns
                Instant aim = expiresAt.plusMillis((round % 3 - 1) * 15L);
                long wait = Duration.between(Instant.now(), aim).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
                JsonNode answer = awaitEither(agent, "assigned", "error");
                Database db = new Database(pool);
                // a refused accept may reach the database a moment before the expiry does
                await().atMost(Duration.ofSeconds(3)).until(() -> !"OPEN".equals(db.rows(
                        "SELECT state FROM offer WHERE id = $1::uuid", offer.path("offerId").asText()).get(0).getString(0)));
                Row state = db.rows("SELECT l.status, l.owner_rep_id, o.state FROM lead l JOIN offer o ON o.lead_id = l.id WHERE o.id = $1::uuid",
                        offer.path("offerId").asText()).get(0);
                if (answer.path("type").asText().equals("assigned")) {
                    assignedCount++;
                    assertThat(state.getString(0)).isEqualTo("ASSIGNED");
                    assertThat(state.getString(1)).isEqualTo(rep);
                    assertThat(state.getString(2)).isEqualTo("ACCEPTED");
                    agent.send(Map.of("type", "close", "leadId", lead, "outcome", "CONTACTED"));
                    agent.await("closed");
                } else {
                    expiredCount++;
                    assertThat(answer.path("code").asText()).isEqualTo("OFFER_EXPIRED");
                    assertThat(state.getString(2)).isEqualTo("EXPIRED");
                    assertThat(state.getString(1)).isNull();
                    assertThat(state.getString(0)).isIn("QUEUED", "OFFERED", "HELD");
                    org.assertj.core.api.Assertions.assertThat(Api.getLead(lead).getString("ownerRepId")).isNull();
                    // take it off the queue so the next round starts clean
                    Api.api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", lead).then().statusCode(200);
                }
            }
        }
        assertThat(assignedCount + expiredCount).isEqualTo(rounds);
    }

    @Test
    void aCrmCloseRacingTheRepsAcceptAlwaysEndsClosed() throws Exception {
        String team = Api.newTeam();
        String rep = Api.rep(team);
        try (AgentClient agent = online(rep)) {
            for (int round = 0; round < 8; round++) {
                String lead = Api.lead(team);
                JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(lead), Duration.ofSeconds(5));
                int[] closeStatus = new int[1];
                raceAll(() -> agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText())),
                        () -> closeStatus[0] = Api.api().body(Map.of("outcome", "DISQUALIFIED"))
                                .post("/api/v1/leads/{id}/close", lead).statusCode());
                // whichever came first, the CRM's close wins in the end and the rep's capacity is back
                assertThat(closeStatus[0]).isEqualTo(200);
                assertThat(Api.getLead(lead).getString("status")).isEqualTo("CLOSED");
                await().atMost(Duration.ofSeconds(5)).until(() -> Api.getRep(rep).getInt("activeLoad") == 0);
            }
            assertThat(agent.all("error")).allSatisfy(e -> assertThat(e.path("code").asText()).isEqualTo("OFFER_EXPIRED"));
        }
    }

    @Test
    void concurrentDrainsNeverOfferOneLeadTwiceOrOverloadARep() throws Exception {
        String team = Api.newTeam();
        // on a slow machine an offer lapsing would set its rep AWAY and shrink the capacity this race fills
        Api.api().body(Map.of("teams", Map.of(team, Map.of("offerTimeout", "PT60S")))).put("/api/v1/routing/policy").then()
                .statusCode(200);
        List<AgentClient> agents = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                agents.add(online(Api.rep(team, "maxLoad", 2)));
            }
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<String>> posts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                posts.add(threads.submit(() -> Api.lead(team)));
            }
            for (Future<String> post : posts) {
                post.get();
            }
            threads.shutdown();
            // 16 capacity points: exactly 16 leads are offered, each to one rep, none over max load
            await().atMost(Duration.ofSeconds(30)).until(() -> agents.stream().mapToInt(a -> a.all("offer").size()).sum() >= 16);
            List<String> offered = agents.stream().flatMap(a -> a.all("offer").stream())
                    .map(o -> o.path("lead").path("id").asText()).toList();
            assertThat(offered).doesNotHaveDuplicates().hasSize(16);
            assertThat(agents).allSatisfy(a -> assertThat(a.all("offer")).hasSizeLessThanOrEqualTo(2));
            // 40 waiting leads over 16 capacity points stay under the PULL threshold while offers are made
            assertThat(agents).allSatisfy(a -> assertThat(a.all("mode")).isEmpty());
        } finally {
            agents.forEach(AgentClient::close);
            Api.api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
        }
    }

    @Test
    void editingARepWhileOffersAreMadeKeepsItsLoad() throws Exception {
        String team = Api.newTeam();
        String rep = Api.rep(team, "maxLoad", 30);
        try (AgentClient agent = online(rep)) {
            List<Runnable> actions = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                actions.add(() -> Api.lead(team));
                int edit = i;
                actions.add(() -> Api.api().body(Map.of("team", team, "maxLoad", 30, "name", "Edit " + edit))
                        .put("/api/v1/reps/{id}", rep).then().statusCode(200));
            }
            raceAll(actions.toArray(Runnable[]::new));
            // active_load must equal what the rep holds, before the first offer can expire
            new Database(pool).assertInvariants();
            // the race was not vacuous: offers were made (the drain runs after the intakes, so wait for the first)
            await().atMost(Duration.ofSeconds(10)).until(() -> !agent.all("offer").isEmpty());
        }
    }

    private static JsonNode awaitEither(AgentClient agent, String type, String otherType) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (agent.receives(type, f -> true, Duration.ofMillis(20))) {
                List<JsonNode> all = agent.all(type);
                return all.get(all.size() - 1);
            }
            if (agent.receives(otherType, f -> true, Duration.ofMillis(20))) {
                List<JsonNode> all = agent.all(otherType);
                return all.get(all.size() - 1);
            }
        }
        throw new AssertionError("neither " + type + " nor " + otherType + " arrived");
    }

    /** Opens the rep's tabs (into {@code tabs}, for the caller to close), sets the rep BUSY (nothing pushed) and queues six leads. */
    private void busyTabsOverSixLeads(String rep, String team, int count, List<AgentClient> tabs) {
        for (int i = 0; i < count; i++) {
            tabs.add(online(rep));
        }
        tabs.get(0).send(Map.of("type", "status", "status", "BUSY"));
        for (AgentClient tab : tabs) {
            tab.await("status");
        }
        for (int i = 0; i < 6; i++) {
            Api.lead(team);
        }
    }

    /** Runs the actions at once, each on its own thread released by one latch; rethrows the first failure. */
    static void raceAll(Runnable... actions) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(actions.length);
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable action : actions) {
            futures.add(threads.submit(() -> {
                start.await();
                action.run();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        threads.shutdown();
    }
}
