package io.leadrouter.common;

import java.util.List;
import java.util.Map;

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

    /**
     * Rows of a native query by a named {@code @SqlResultSetMapping}, each as an {@code Object[]}: entities (managed)
     * and scalar columns side by side.
     */
    public static Uni<List<Object[]>> mapped(String sql, String mapping, Map<String, Object> params) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, session.getResultSetMapping(Object[].class, mapping));
            params.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    /** Rows of a native query with several columns, each as an {@code Object[]}. */
    public static Uni<List<Object[]>> rows(String sql, Map<String, Object> params) {
        return Panache.getSession().chain(session -> {
            var query = session.<Object[]>createNativeQuery(sql);
            params.forEach(query::setParameter);
            return query.getResultList();
        });
    }
}
