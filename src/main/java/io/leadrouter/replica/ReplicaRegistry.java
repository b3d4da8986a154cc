package io.leadrouter.replica;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.Sql;
import io.leadrouter.rep.RepSql;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * This process among the replicas sharing the database: its row in {@code replica} with a
 * heartbeat, its reps' sockets in {@code rep_socket}, and the reaping of replicas that stopped
 * beating (killed, partitioned), whose reps then start their grace period like any dropped socket.
 */
@ApplicationScoped
public class ReplicaRegistry {

    /** Reps shown connected with no socket on any live replica: their presence enters its grace period. */
    private static final String GRACE_FOR_ORPHANS = """
            UPDATE rep SET presence_lapses_at = now() + make_interval(secs => :grace), updated_at = now()
            WHERE %s
              AND NOT EXISTS (SELECT 1 FROM rep_socket s WHERE s.rep_id = rep.id)
            """.formatted(RepSql.connected(""));

    /**
     * This replica beat after the others had reaped it (a long pause: GC, SIGSTOP, a frozen VM): its sockets' rows are
     * gone and its reps were handed to their grace period, so what it holds locally is stale.
     */
    public record Reaped(UUID replicaId) {
    }

    /** What a heartbeat found: whether this replica had been reaped, and how many reps the replicas it reaped left. */
    public record Beat(boolean wasReaped, int orphans) {
    }

    private final UUID id = UUID.randomUUID();
    private final LeadRouterConfig config;

    public ReplicaRegistry(LeadRouterConfig config) {
        this.config = config;
    }

    /** This process's replica id, the origin of its notifications. */
    public UUID id() {
        return id;
    }

    /** Joins the replicas; reps shown connected with no socket on a live replica start their grace period. */
    @WithTransaction
    public Uni<Integer> register() {
        // the first heartbeat may run before this start-up observer does, and insert the row first
        return Sql.update("INSERT INTO replica (id) VALUES (:id) ON CONFLICT (id) DO NOTHING", Map.of("id", id))
                .chain(() -> Sql.update(GRACE_FOR_ORPHANS, grace()));
    }

    /**
     * Beats, and removes replicas silent for longer than the replica timeout (their socket rows go
     * with them); returns how many reps that left without a socket.
     */
    @WithTransaction
    public Uni<Beat> beat() {
        // xmax is 0 for a row this statement inserted: this replica's row was gone, the others had reaped it
        return Sql.list("""
                INSERT INTO replica (id) VALUES (:id)
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
                RETURNING xmax = 0
                """, Boolean.class, Map.of("id", id))
                .chain(inserted -> Sql.update("DELETE FROM replica WHERE heartbeat_at < now() - make_interval(secs => :timeout)",
                        Map.of("timeout", config.replicaTimeout().toMillis() / 1000.0))
                        .chain(reaped -> reaped == 0 ? Uni.createFrom().item(0) : Sql.update(GRACE_FOR_ORPHANS, grace()))
                        .map(orphans -> new Beat(inserted.get(0), orphans)));
    }

    /** Leaves the replicas (shutdown): this process's sockets are gone, its reps start their grace period unless connected elsewhere. */
    @WithTransaction
    public Uni<Integer> leave() {
        return Sql.update("DELETE FROM replica WHERE id = :id", Map.of("id", id))
                .chain(() -> Sql.update(GRACE_FOR_ORPHANS, grace()));
    }

    /**
     * Records that the rep has a socket here (idempotent), in the caller's transaction. The first one tells the other
     * replicas on the frame bus's channel, when the row commits: from then on they publish the rep's frames.
     */
    public Uni<Void> socketOpened(String repId) {
        return Sql.list("""
                WITH opened AS (
                    INSERT INTO rep_socket (rep_id, replica_id) VALUES (:rep, :replica) ON CONFLICT DO NOTHING
                    RETURNING rep_id, replica_id)
                SELECT count(pg_notify(:channel, json_build_object('origin', replica_id, 'rep', rep_id, 'opened', true)::text))
                FROM opened
                """, Long.class, Map.of("rep", repId, "replica", id, "channel", FrameBus.CHANNEL)).replaceWithVoid();
    }

    /** Reps with a socket on another replica. */
    @WithSession
    public Uni<List<String>> repsWithSocketsElsewhere() {
        return Sql.list("SELECT DISTINCT rep_id FROM rep_socket WHERE replica_id <> :replica", String.class, Map.of("replica", id));
    }

    /** Records that the rep's last socket here closed; true when it has none on any replica. */
    public Uni<Boolean> lastSocketClosed(String repId) {
        return Sql.update("DELETE FROM rep_socket WHERE rep_id = :rep AND replica_id = :replica", Map.of("rep", repId, "replica", id))
                .chain(() -> Sql.list("SELECT count(*) FROM rep_socket WHERE rep_id = :rep", Long.class, Map.of("rep", repId)))
                .map(counts -> counts.get(0) == 0);
    }

    private Map<String, Object> grace() {
        return Map.of("grace", config.presenceGrace().toMillis() / 1000.0);
    }
}
