package io.leadrouter.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import io.leadrouter.policy.DuplicateRule;
import io.leadrouter.support.SocketTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The duplicate lookup reads each key's index (V13, partial on the key being there since V19): its comparisons must
 * imply the indexes' conditions, or every keyed intake would read the team's open leads.
 */
@QuarkusTest
class DuplicateLookupPlanTest extends SocketTest {

    @Test
    void everyKeyOfTheLookupIsReadThroughItsOwnIndex() {
        DuplicateRule rule = new DuplicateRule(List.of("email", "phone", "externalId"), Duration.ofDays(30));
        String lookup = "EXPLAIN (COSTS OFF) WITH x AS (SELECT * FROM jsonb_to_recordset(cast($1 AS jsonb)) AS x(team text,"
                + " idempotency_key text" + DuplicateCheck.COLUMNS + "))"
                + new DuplicateCheck.Keys(List.of(), List.of(), List.of(), rule).ctes().replace(":window", "'30 days'")
                + " SELECT * FROM d";
        String item = """
                [{"team": "t", "idempotency_key": "k", "i": 0, "dup_keys": ["t:email:a@b.c"], "dup_email": "a@b.c",
                  "dup_phone": "+155501", "dup_external_id": "x-1"}]""";
        // with sequential scans priced out, a lookup still planned as one proves that no index could serve it
        RowSet<Row> plan = pool.withTransaction(connection -> connection.query("SET LOCAL enable_seqscan = off").execute()
                .chain(() -> connection.preparedQuery(lookup).execute(Tuple.of(item))))
                .await().indefinitely();
        String text = StreamSupport.stream(plan.spliterator(), false).map(row -> row.getString(0)).collect(Collectors.joining("\n"));

        assertThat(text).contains("lead_open_email", "lead_open_phone", "lead_open_external_id")
                .doesNotContain("Seq Scan on lead l");
    }
}
