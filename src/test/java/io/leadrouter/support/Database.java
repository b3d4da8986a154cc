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

    /** Every check of {@link Invariants} finds no violation. */
    public void assertInvariants() {
        for (Invariants.Check check : Invariants.CHECKS) {
            assertThat(rows(check.sql())).as(check.violation()).isEmpty();
        }
    }
}
