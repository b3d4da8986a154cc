package io.leadrouter.lifecycle;

import static io.leadrouter.support.Api.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;

/** A bulk load is followed by an ANALYZE of the lead table, so pulls are planned for the queue as it is now. */
@QuarkusTest
class LeadStatisticsTest extends SocketTest {

    private static final int BATCH = 1000;

    @Inject
    LeadRouterConfig config;

    @Test
    void leadsCreatedInBulkAreFollowedByAnAnalyzeOfTheLeadTable() {
        Database db = new Database(pool);
        long before = analyzeCount(db);
        // enough to cross both bounds (the configured count and a fifth of the table), whatever was created since the
        // last ANALYZE; reltuples is -1 before any
        double rows = db.rows("SELECT reltuples FROM pg_class WHERE oid = 'lead'::regclass").get(0).getDouble(0);
        long needed = (long) Math.max(config.analyzeAfterLeads(), Math.ceil(LeadStatistics.GROWTH * Math.max(rows, 0))) + 1;
        String team = Api.newTeam();
        Api.rep(team);
        for (long sent = 0; sent < needed; sent += BATCH) {
            List<Map<String, Object>> leads = IntStream.range(0, BATCH)
                    .mapToObj(i -> Map.<String, Object> of("company", "Bulk " + i, "team", team)).toList();
            api().body(leads).post("/api/v1/leads/batch").then().statusCode(200).body("created", equalTo(BATCH));
        }
        // the cumulative statistics are flushed within a second or so of the ANALYZE
        await().atMost(Duration.ofSeconds(15)).until(() -> analyzeCount(db) > before);
    }

    /** Manual ANALYZEs of the lead table (autovacuum's are counted apart). */
    private static long analyzeCount(Database db) {
        return db.count("SELECT analyze_count FROM pg_stat_user_tables WHERE relid = 'lead'::regclass");
    }
}
