package io.leadrouter.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.leadrouter.support.Jdbc;

/** The service's PostgreSQL over JDBC, for what only the database can tell: settings, lateness, invariants. */
final class BenchDatabase {

    private final String jdbcUrl;

    /** @param jdbcUrl {@code jdbc:postgresql://host:port/db?user=...&password=...} */
    BenchDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    /** Rows as column-to-value maps. */
    List<Map<String, Object>> rows(String sql, Object... params) {
        try {
            return Jdbc.rows(connect(), sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not connect for: " + sql, e);
        }
    }

    void execute(String sql) {
        try (Connection connection = connect(); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed: " + sql, e);
        }
    }

    /** What libpq tools (pgbench) need to reach the same database: host, port, database, user, password. */
    Map<String, String> libpq() {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("host", uri.getHost());
        parts.put("port", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()));
        parts.put("database", uri.getPath().substring(1));
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] nameValue = pair.split("=", 2);
                if (nameValue.length == 2) {
                    parts.put(nameValue[0], nameValue[1]);
                }
            }
        }
        return parts;
    }
}
