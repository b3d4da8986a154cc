package io.leadrouter.event;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code GET /events?after=}: the lifecycle as consumers read it, in order, and never with a gap. */
@QuarkusTest
class EventFeedTest extends SocketTest {

    @Inject
    EventLog log;

    /** The pages read, for the message of a failure. */
    static final List<String> PAGES = Collections.synchronizedList(new ArrayList<>());

    /** Everything after the cursor, following {@code next} until a page comes back empty. */
    private static List<Map<String, Object>> readAll(String[] cursor) {
        List<Map<String, Object>> all = new ArrayList<>();
        while (true) {
            JsonPath page = api().queryParam("after", cursor[0]).queryParam("limit", 200).get("/api/v1/events")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> events = page.getList("events");
            PAGES.add(cursor[0] + " => " + page.getList("events.cursor") + " next " + page.getString("next"));
            cursor[0] = page.getString("next");
            if (events.isEmpty()) {
                return all;
            }
            all.addAll(events);
        }
    }

    private static String head() {
        String[] cursor = { "0" };
        readAll(cursor);
        return cursor[0];
    }

    @Test
    void aLeadsLifeReadsInOrderFromTheFeed() {
        String team = Api.newTeam();
        String repId = Api.rep(team);
        String[] cursor = { head() };
        try (AgentClient agent = online(repId)) {
            String lead = Api.lead(team, "score", 50);
            var offer = agent.await("offer");
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            agent.await("assigned");
            agent.send(Map.of("type", "close", "leadId", lead, "outcome", "CONVERTED"));
            agent.await("closed");
            List<Map<String, Object>> mine = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                readAll(cursor).stream().filter(e -> lead.equals(e.get("leadId"))).forEach(mine::add);
                return mine.size() >= 4;
            });
            assertThat(mine).extracting(e -> e.get("type"))
                    .containsExactly("lead.created", "lead.offered", "lead.assigned", "lead.closed");
            Map<String, Object> offered = mine.get(1);
            assertThat(offered.get("repId")).isEqualTo(repId);
            assertThat(offered.get("team")).isEqualTo(team);
            assertThat(((Map<?, ?>) offered.get("data")).get("offerId")).isEqualTo(offer.path("offerId").asText());
            assertThat(((Map<?, ?>) offered.get("data")).get("attempt")).isEqualTo(1);
            assertThat(((Map<?, ?>) mine.get(2).get("data")).get("via")).isEqualTo("offer");
            assertThat(((Map<?, ?>) mine.get(3).get("data")).get("outcome")).isEqualTo("CONVERTED");
            assertThat(mine).allSatisfy(e -> assertThat(e).containsKeys("id", "cursor", "occurredAt", "policyVersion"));
            // the rep's connection and status are events too
            assertThat(new Database(pool).count("SELECT count(*) FROM lifecycle_event WHERE rep_id = $1 AND type = 'rep.status_changed'",
                    repId)).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anIntakeBatchReadsInTheOrderOfItsChangesWithTheCreatedLeadsData() {
        String team = Api.newTeam();
        String[] cursor = { head() };
        List<Map<String, Object>> results = api().body(List.of(
                Map.of("team", team, "email", "ada@feed.example", "source", "webinar", "externalId", "feed-" + team),
                Map.of("team", team, "email", "bob@feed.example"),
                Map.of("team", team, "email", "ADA@feed.example", "name", "Ada again")))
                .post("/api/v1/leads/batch").then().statusCode(200).extract().jsonPath().getList("results");
        String ada = (String) ((Map<?, ?>) results.get(0).get("lead")).get("id");
        String bob = (String) ((Map<?, ?>) results.get(1).get("lead")).get("id");
        List<Map<String, Object>> mine = readAll(cursor).stream().filter(e -> team.equals(e.get("team"))).toList();
        // the team has nobody: each new lead is unrouted, after every lead was created; the duplicate is recorded last
        assertThat(mine).extracting(e -> e.get("type") + " " + e.get("leadId")).containsExactly(
                "lead.created " + ada, "lead.created " + bob, "lead.unrouted " + ada, "lead.unrouted " + bob,
                "lead.duplicate " + ada);
        assertThat(mine.get(0).get("data")).isEqualTo(Map.of("source", "webinar", "externalId", "feed-" + team,
                "priority", ((Map<?, ?>) results.get(0).get("lead")).get("priority")));
        assertThat(mine.get(1).get("data")).isEqualTo(Map.of("priority", ((Map<?, ?>) results.get(1).get("lead")).get("priority")));
        assertThat(mine.subList(0, 4)).allSatisfy(e -> assertThat(e.get("policyVersion")).isNotNull());
    }

    /** Transaction numbers of different lengths: the order is by number, as text 1000 would sort before 997. */
    @Test
    void theFeedOrdersByTransactionNumberNotByItsText() {
        Database db = new Database(pool);
        for (String tx : List.of("100", "9", "99", "10")) {
            db.rows("INSERT INTO lifecycle_event (tx, type, rep_id, data) VALUES (cast($1 AS xid8), 'rep.updated', 'order-test', '{}')",
                    tx);
        }
        List<String> cursors = api().queryParam("after", "8-0").queryParam("limit", 4).get("/api/v1/events").then().statusCode(200)
                .extract().jsonPath().getList("events.cursor");
        assertThat(cursors).extracting(c -> c.substring(0, c.indexOf('-'))).containsExactly("9", "10", "99", "100");
        db.rows("DELETE FROM lifecycle_event WHERE rep_id = 'order-test'");
    }

    @Test
    void aCursorTheFeedDidNotHandOutIsRefused() {
        for (String bad : List.of("abc", "-1", "1-", "12-x", "99999999999999999999-1")) {
            api().queryParam("after", bad).get("/api/v1/events").then().statusCode(400)
                    .body("code", equalTo("VALIDATION_FAILED")).body("errors[0].field", equalTo("after"));
        }
        api().queryParam("after", "0").queryParam("team", "x").get("/api/v1/events").then().statusCode(400);
        api().queryParam("after", "0").queryParam("limit", 0).get("/api/v1/events").then().statusCode(400);
    }

    @Test
    void aPageEndsWhereTheNextBegins() {
        String team = Api.newTeam();
        String start = head();
        for (int i = 0; i < 5; i++) {
            Api.lead(team, "score", i);
        }
        JsonPath first = api().queryParam("after", start).queryParam("limit", 2).get("/api/v1/events").then().extract().jsonPath();
        JsonPath second = api().queryParam("after", first.getString("next")).queryParam("limit", 2).get("/api/v1/events")
                .then().extract().jsonPath();
        assertThat(first.getList("events")).hasSize(2);
        assertThat(first.getString("next")).isEqualTo(first.getString("events[1].cursor"));
        Set<Object> ids = new HashSet<>(first.getList("events.id"));
        assertThat(second.getList("events.id")).doesNotContainAnyElementsOf(ids);
        // an empty page keeps the reader where it is. Other tests' background work (expiring offers, requeues, the
        // matcher) may write an event between reading the head and the page after it, so read until that page is empty
        for (int attempt = 1;; attempt++) {
            String end = head();
            JsonPath after = api().queryParam("after", end).get("/api/v1/events").then().extract().jsonPath();
            if (after.getList("events").isEmpty()) {
                assertThat(after.getString("next")).isEqualTo(end);
                break;
            }
            assertThat(attempt).as("the log kept growing: no empty page after the head").isLessThan(20);
        }
    }

    @Test
    void eventsPastTheRetentionArePrunedAndTheFeedStartsAtTheOldestKept() throws Throwable {
        String team = Api.newTeam();
        for (int i = 0; i < 4; i++) {
            Api.lead(team);
        }
        Database db = new Database(pool);
        List<Long> oldest = db.rows("SELECT id FROM lifecycle_event ORDER BY id LIMIT 3").stream().map(r -> r.getLong(0)).toList();
        db.rows("UPDATE lifecycle_event SET occurred_at = now() - interval '31 days' WHERE id = ANY ($1) RETURNING id",
                (Object) oldest.toArray(Long[]::new));
        long before = db.count("SELECT count(*) FROM lifecycle_event");

        int pruned = VertxContextSupport.subscribeAndAwait(() -> log.prune(Duration.ofDays(30)));

        assertThat(pruned).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM lifecycle_event")).isEqualTo(before - 3);
        JsonPath first = api().queryParam("after", "0").queryParam("limit", 1).get("/api/v1/events").then().statusCode(200)
                .extract().jsonPath();
        assertThat(((Number) first.get("events[0].id")).longValue()).isGreaterThan(oldest.get(2));
    }

    /**
     * Writers take event ids, then hold their transactions open for a while before they commit (or roll back), so
     * commits land out of id order; the service's own intake writes in between. A reader following the cursor the
     * whole time must end up with exactly the committed events, each once.
     */
    @Test
    void aReaderFollowingTheCursorMissesNoEventWhenTransactionsCommitOutOfIdOrder() throws Exception {
        String team = Api.newTeam();
        String start = head();
        long firstId = new Database(pool).count("SELECT coalesce(max(id), 0) FROM lifecycle_event");
        int writers = 6;
        int transactionsEach = 15;
        Set<Long> committed = ConcurrentHashMap.newKeySet();
        Set<Long> rolledBack = ConcurrentHashMap.newKeySet();
        List<long[]> commitOrder = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(writers + 2);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            work.add(threads.submit(() -> {
                for (int t = 0; t < transactionsEach; t++) {
                    SqlConnection connection = pool.getConnection().await().indefinitely();
                    try {
                        var tx = connection.begin().await().indefinitely();
                        long id = connection.preparedQuery("""
                                INSERT INTO lifecycle_event (type, rep_id, team, data)
                                VALUES ('rep.updated', 'feed-race', $1, '{}') RETURNING id""")
                                .execute(Tuple.of(team)).await().indefinitely().iterator().next().getLong(0);
                        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 60));
                        if (ThreadLocalRandom.current().nextInt(10) == 0) {
                            tx.rollback().await().indefinitely();
                            rolledBack.add(id);
                        } else {
                            tx.commit().await().indefinitely();
                            committed.add(id);
                            commitOrder.add(new long[] { id, System.nanoTime() });
                        }
                    } finally {
                        connection.close().await().indefinitely();
                    }
                }
                return null;
            }));
        }
        work.add(threads.submit(() -> {
            for (int i = 0; i < 20; i++) {
                Api.lead(team, "score", i);
            }
            return null;
        }));
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
        PAGES.clear();
        AtomicBoolean reading = new AtomicBoolean(true);
        Future<?> reader = threads.submit(() -> {
            String[] cursor = { start };
            while (reading.get()) {
                for (Map<String, Object> event : readAll(cursor)) {
                    long id = ((Number) event.get("id")).longValue();
                    if (!seen.add(id)) {
                        duplicates.add(id);
                    }
                }
            }
            return null;
        });
        for (Future<?> done : work) {
            done.get();
        }
        // everything stored by now, the service's own events included; later ones are not this test's business
        Set<Long> stored = new HashSet<>();
        new Database(pool).rows("SELECT id FROM lifecycle_event WHERE id > $1", firstId).forEach(r -> stored.add(r.getLong(0)));
        org.awaitility.Awaitility.await("the reader catching up with every stored event").atMost(Duration.ofSeconds(20))
                .until(() -> seen.containsAll(stored));
        reading.set(false);
        reader.get();
        threads.shutdown();

        long lastStored = stored.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(duplicates).as("events read twice, pages %s", PAGES.subList(Math.max(0, PAGES.size() - 40), PAGES.size())).isEmpty();
        assertThat(seen.stream().filter(id -> id <= lastStored).toList()).as("every committed event, none rolled back")
                .containsExactlyInAnyOrderElementsOf(stored);
        assertThat(stored).containsAll(committed).doesNotContainAnyElementsOf(rolledBack);
        assertThat(rolledBack).isNotEmpty();
        // the race was real: some event committed before an event with a smaller id
        List<long[]> byCommit = new ArrayList<>(commitOrder);
        byCommit.sort((a, b) -> Long.compare(a[1], b[1]));
        boolean outOfOrder = false;
        for (int i = 1; i < byCommit.size(); i++) {
            outOfOrder |= byCommit.get(i)[0] < byCommit.get(i - 1)[0];
        }
        assertThat(outOfOrder).as("transactions committed out of id order").isTrue();
    }
}
