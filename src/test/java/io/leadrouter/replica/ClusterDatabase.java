package io.leadrouter.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.leadrouter.support.Invariants;
import io.leadrouter.support.Jdbc;

/** The cluster's PostgreSQL over JDBC, to check what all replicas wrote against the invariants. */
final class ClusterDatabase {

    private final DataSource dataSource;

    ClusterDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Rows as column-to-value maps. */
    List<Map<String, Object>> rows(String sql, Object... params) {
        try {
            return Jdbc.rows(dataSource.getConnection(), sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not connect for: " + sql, e);
        }
    }

    long count(String sql, Object... params) {
        return ((Number) rows(sql, params).get(0).values().iterator().next()).longValue();
    }

    /** Every check of {@link Invariants} finds no violation. */
    void assertInvariants() {
        for (Invariants.Check check : Invariants.CHECKS) {
            assertThat(rows(check.sql())).as(check.violation()).isEmpty();
        }
    }
}
