package io.leadrouter.lifecycle;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.Sql;
import io.leadrouter.rep.RepSql;
import io.smallrye.mutiny.Uni;

/**
 * A rep's load, taken and given back by these two statements only. Taking is guarded by
 * {@code active_load + points <= max_load} at the moment of the claim; giving back by the schema's
 * {@code CHECK (active_load >= 0)}, so a release without a matching reserve fails instead of inventing capacity.
 */
final class RepLoad {

    private RepLoad() {
    }

    /** A rep's points to give back. */
    record Release(String repId, int points) {
    }

    /*
     * An offer also needs the rep active, connected and AVAILABLE at claim time, whatever the ranking saw; a pull is
     * the rep's own request, so only capacity counts, and it assigns at once. It ends with its WHERE clause, so a
     * statement that composes it may narrow it with AND.
     */
    static final String RESERVE = """
            UPDATE rep SET active_load = active_load + :points, updated_at = now(),
                last_assigned_at = CASE WHEN :assigns THEN now() ELSE last_assigned_at END
            WHERE id = :rep AND active_load + :points <= max_load AND (NOT :offering OR %s)
            """.formatted(RepSql.offerable(""));

    /** Gives back the points of {@code %s}, a query of {@code (rep_id, points)} rows with one row per rep. */
    static final String RELEASE_FROM = """
            UPDATE rep SET active_load = rep.active_load - s.points, updated_at = now()
            FROM (%s) s
            WHERE rep.id = s.rep_id
            """;

    /** Gives back {@code :released}, a JSON array of {@code {rep_id, points}}; an empty array gives back nothing. */
    static final String RELEASE = RELEASE_FROM.formatted("""
            SELECT x.rep_id, sum(x.points) AS points
                  FROM jsonb_to_recordset(cast(cast(:released AS text) AS jsonb)) AS x(rep_id text, points integer)
                  GROUP BY x.rep_id""");

    /** Takes load for an offer: true when the rep still had the capacity and was offerable. */
    static Uni<Boolean> reserveForOffer(String repId, int points) {
        return Sql.update(RESERVE, Map.of("rep", repId, "points", points, "offering", true, "assigns", false))
                .map(updated -> updated == 1);
    }

    /** Takes load for a pulled lead, which is assigned at once: true when the rep still had the capacity. */
    static Uni<Boolean> reserveForPull(String repId, int points) {
        return Sql.update(RESERVE, Map.of("rep", repId, "points", points, "offering", false, "assigns", true))
                .map(updated -> updated == 1);
    }

    /** Gives load back, several reps at once. */
    static Uni<Void> release(List<Release> released, ObjectMapper mapper) {
        if (released.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Sql.update(RELEASE, Map.of("released", released(released, mapper))).replaceWithVoid();
    }

    /** The {@code :released} parameter of {@link #RELEASE}. */
    static String released(List<Release> released, ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(released.stream().map(r -> Map.of("rep_id", r.repId(), "points", r.points())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
