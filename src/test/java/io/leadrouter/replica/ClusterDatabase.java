package io.leadrouter.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.leadrouter.support.Invariants;

/** The cluster's PostgreSQL over JDBC, to check what all replicas wrote against the invariants. */
final class ClusterDatabase {

    private final DataSource dataSource;

    ClusterDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Rows as column-to-value maps. */
    List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= columns; column++) {
                        row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
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
