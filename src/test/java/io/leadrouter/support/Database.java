package io.leadrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the database the service writes, to check what the API cannot show: the invariants. */
public final class Database {

    private final Pool pool;

    public Database(Pool pool) {
        this.pool = pool;
    }

    public List<Row> rows(String sql, Object... params) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().forEach(rows::add);
        return rows;
    }

    public long count(String sql, Object... params) {
        return rows(sql, params).get(0).getLong(0);
    }

    /**
     * Invariants 1, 3 and 5 over the whole database: one owner and at most one open offer per lead,
     * an open offer exactly for each offered lead at its attempt, rep load equal to what it holds and
     * within max_load, and no open offer left past its deadline plus the sweep.
     */
    public void assertInvariants() {
        assertThat(rows("SELECT lead_id FROM offer WHERE state = 'OPEN' GROUP BY lead_id HAVING count(*) > 1"))
                .as("leads with more than one open offer").isEmpty();
        // a lead is accepted once, or once more after each time it was taken back untended
        assertThat(rows("""
                SELECT lead_id FROM offer o WHERE state = 'ACCEPTED' GROUP BY lead_id
                HAVING count(*) > 1 + (SELECT count(*) FROM decision d WHERE d.lead_id = o.lead_id AND d.kind = 'TAKEN_BACK')
                """)).as("leads accepted twice").isEmpty();
        assertThat(rows("""
                SELECT l.id FROM lead l WHERE l.status = 'OFFERED' AND NOT EXISTS (
                    SELECT 1 FROM offer o WHERE o.lead_id = l.id AND o.state = 'OPEN' AND o.attempt = l.attempts)
                """)).as("offered leads without their open offer").isEmpty();
        assertThat(rows("""
                SELECT o.id FROM offer o JOIN lead l ON l.id = o.lead_id
                WHERE o.state = 'OPEN' AND (l.status <> 'OFFERED' OR l.attempts <> o.attempt)
                """)).as("open offers whose lead moved on").isEmpty();
        assertThat(rows("""
                SELECT o.id FROM offer o JOIN lead l ON l.id = o.lead_id
                WHERE o.state = 'ACCEPTED' AND (l.owner_rep_id IS DISTINCT FROM o.rep_id)
                  AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.lead_id = o.lead_id AND d.kind = 'TAKEN_BACK'
                                  AND d.created_at >= o.resolved_at)
                """)).as("accepted offers whose lead has another owner and was not taken back").isEmpty();
        assertThat(rows("""
                SELECT r.id, r.active_load, r.max_load,
                       coalesce((SELECT sum(load_points) FROM offer WHERE rep_id = r.id AND state = 'OPEN'), 0)
                     + coalesce((SELECT sum(load_points) FROM lead WHERE owner_rep_id = r.id AND status = 'ASSIGNED'), 0) AS held
                FROM rep r
                WHERE r.active_load > r.max_load
                   OR r.active_load <> coalesce((SELECT sum(load_points) FROM offer WHERE rep_id = r.id AND state = 'OPEN'), 0)
                                     + coalesce((SELECT sum(load_points) FROM lead WHERE owner_rep_id = r.id AND status = 'ASSIGNED'), 0)
                """)).as("reps over max_load or with a load that differs from what they hold").isEmpty();
        assertThat(rows("SELECT id FROM offer WHERE state = 'OPEN' AND expires_at < now() - interval '3 seconds'"))
                .as("open offers past deadline plus sweep").isEmpty();
    }
}
