package io.leadrouter.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Native SQL in the current reactive session, for the statements that must be exactly one guarded statement. */
public final class Sql {

    private Sql() {
    }

    public static Uni<Integer> update(String sql, Map<String, Object> params) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            params.forEach(query::setParameter);
            return query.executeUpdate();
        });
    }

    /** Rows of a native query mapped to an entity class (the rows it returns are then managed). */
    public static <T> Uni<List<T>> list(String sql, Class<T> type, Map<String, Object> params) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, type);
            params.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    /**
     * Entities to read, not to change (HQL with positional parameters): loaded read-only, so no snapshot is kept and
     * no flush compares them. A changed field would be silently dropped.
     */
    public static <T> Uni<List<T>> readOnly(String hql, Class<T> type, Object... params) {
        return Panache.getSession().chain(session -> {
            var query = session.createSelectionQuery(hql, type).setReadOnly(true);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return query.getResultList();
        });
    }

    /**
     * Takes entities a native query returned out of the current session: no flush (and every native query auto-flushes)
     * walks them, so a field set on them in memory (for a view) is never written; their changes go through guarded SQL.
     */
    public static <T> Uni<Void> detach(List<T> entities) {
        return Panache.getSession().invoke(session -> entities.forEach(session::detach)).replaceWithVoid();
    }

    /** Rows of a native query with several columns, each as an {@code Object[]}. */
    public static Uni<List<Object[]>> rows(String sql, Map<String, Object> params) {
        return Panache.getSession().chain(session -> {
            var query = session.<Object[]>createNativeQuery(sql);
            params.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    /**
     * A statement for {@link #direct}, written with named parameters like every other and compiled once to
     * PostgreSQL's positional ones; a name used twice is one parameter.
     */
    public record Direct(String sql, List<String> names) {

        // a name after a colon that follows no colon, letter or digit: "::" is a cast, and a literal's colons (a time
        // format's HH24:MI:SS, split_part(t, ':', 1)) follow a letter or digit or precede no name
        private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([A-Za-z_]\\w*)");

        public static Direct of(String named) {
            Map<String, Integer> positions = new LinkedHashMap<>();
            Matcher matcher = NAMED.matcher(named);
            StringBuilder sql = new StringBuilder();
            while (matcher.find()) {
                int position = positions.computeIfAbsent(matcher.group(1), name -> positions.size() + 1);
                matcher.appendReplacement(sql, "\\$" + position);
            }
            matcher.appendTail(sql);
            return new Direct(sql.toString(), List.copyOf(positions.keySet()));
        }
    }

    /**
     * Rows of a statement run as it is on the current session's connection, in its transaction when one is open: no
     * parsing of the SQL, no auto-flush and no result mapping; each row holds the client's values (a timestamptz as
     * an {@code OffsetDateTime}; read an entity as JSON text with {@link JsonRows}). For the hot paths, whose sessions
     * hold nothing managed that a flush would write: Hibernate's parsing and mapping of native queries took the
     * largest share of a pull's CPU in the replica, by JFR.
     */
    public static Uni<List<Object[]>> direct(Direct statement, Map<String, Object> params) {
        Object[] values = new Object[statement.names().size()];
        for (int i = 0; i < values.length; i++) {
            String name = statement.names().get(i);
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("No value for parameter " + name);
            }
            Object value = params.get(name);
            // the client binds a timestamptz from an OffsetDateTime only
            values[i] = value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value;
        }
        return Panache.getSession().chain(session -> Uni.createFrom().completionStage(() -> connection(session)
                .select(statement.sql(), values))).map(result -> {
                    List<Object[]> rows = new ArrayList<>(result.size());
                    result.forEachRemaining(rows::add);
                    return rows;
                });
    }

    // Hibernate Reactive's own session type: Mutiny.Session does not hand out the connection it holds
    private static ReactiveConnection connection(org.hibernate.reactive.mutiny.Mutiny.Session session) {
        return ((MutinySessionImpl) session).getReactiveConnection();
    }
}
