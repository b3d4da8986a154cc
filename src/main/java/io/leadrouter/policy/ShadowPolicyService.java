package io.leadrouter.policy;

import static io.leadrouter.event.EventBatch.data;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.smallrye.mutiny.Uni;

/**
 * The candidate policy published as a shadow: the newest version in shadow_policy unless it was stopped. Live routing
 * never acts on it; the lifecycle computes every live decision under it too. Cached like the live policy and re-read
 * with it once a sweep, so a publish or a stop on one replica holds on all within a second.
 */
@ApplicationScoped
public class ShadowPolicyService {

    private static final String NEWEST = """
            SELECT version, cast(document AS text), created_at, stopped_at FROM shadow_policy ORDER BY version DESC LIMIT 1
            """;
    private static final String INSERT = """
            INSERT INTO shadow_policy (document) VALUES (cast(cast(:document AS text) AS jsonb))
            RETURNING version, cast(document AS text), created_at, stopped_at
            """;
    private static final String STOP = """
            UPDATE shadow_policy SET stopped_at = now()
            WHERE version = (SELECT max(version) FROM shadow_policy) AND stopped_at IS NULL
            RETURNING version, cast(document AS text), created_at, stopped_at
            """;

    /**
     * A shadow version as the API returns it.
     *
     * @param stoppedAt when it was stopped; null while decisions are compared under it
     */
    public record Version(int version, Instant createdAt, Instant stoppedAt, PolicyDocument policy) {
    }

    /** The newest shadow version, compiled; {@code policy} is the one to compare with while {@code stoppedAt} is null. */
    public record Shadow(Policy policy, Instant createdAt, Instant stoppedAt) {

        public boolean active() {
            return stoppedAt == null;
        }

        Version version() {
            return new Version(policy.version(), createdAt, stoppedAt, policy.document());
        }
    }

    private final StoredPolicies documents;
    private final EventLog events;
    /** Empty: no shadow was ever published; null: not read yet. */
    private final AtomicReference<Optional<Shadow>> newest = new AtomicReference<>();

    public ShadowPolicyService(StoredPolicies documents, EventLog events) {
        this.documents = documents;
        this.events = events;
    }

    /**
     * The shadow to compare the decision being made with, from the cache without a round trip; null when none is
     * published (or this process has not read it yet: the first sweep does, within a second of the start).
     */
    public Policy active() {
        Optional<Shadow> known = newest.get();
        return known == null || known.isEmpty() || !known.get().active() ? null : known.get().policy();
    }

    /** The newest shadow version, stopped or not; empty when none was ever published. Runs in the caller's session. */
    public Uni<Optional<Shadow>> newest() {
        Optional<Shadow> known = newest.get();
        return known != null ? Uni.createFrom().item(known) : reload();
    }

    /** The newest shadow version for {@code GET /routing/policy/shadow}; NOT_FOUND when none was ever published. */
    public Uni<Version> newestVersion() {
        return newest().map(shadow -> shadow.orElseThrow(ShadowPolicyService::none).version());
    }

    /** Re-reads the newest version (the sweep, in its session): another process may have published or stopped one. */
    public Uni<Optional<Shadow>> reload() {
        return Sql.rows(NEWEST, Map.of()).map(rows -> rows.isEmpty() ? keep(Optional.empty()) : keep(Optional.of(shadowOf(rows.get(0)))));
    }

    /** Validates the document as the live policy is validated and publishes it as the next shadow version. */
    public Uni<Version> put(PolicyDocument document) {
        DomainException refusal = documents.refusal(document);
        if (refusal != null) {
            return Uni.createFrom().failure(refusal);
        }
        return events.inTransaction(batch -> Sql.rows(INSERT, Map.of("document", documents.write(document))).map(rows -> {
            Shadow shadow = keep(Optional.of(shadowOf(rows.get(0)))).orElseThrow();
            batch.other(EventType.POLICY_SHADOW_PUBLISHED, data("shadowVersion", shadow.policy().version()));
            return shadow.version();
        }));
    }

    /** Stops comparing: the newest shadow keeps its decisions and report; NOT_FOUND when none is being compared. */
    public Uni<Version> stop() {
        return events.inTransaction(batch -> Sql.rows(STOP, Map.of()).map(rows -> {
            if (rows.isEmpty()) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "NO_SHADOW_POLICY", "No shadow policy is published");
            }
            Shadow shadow = keep(Optional.of(shadowOf(rows.get(0)))).orElseThrow();
            batch.other(EventType.POLICY_SHADOW_STOPPED, data("shadowVersion", shadow.policy().version()));
            return shadow.version();
        }));
    }

    private static DomainException none() {
        return new DomainException(DomainException.Kind.NOT_FOUND, "NO_SHADOW_POLICY", "No shadow policy was published");
    }

    /** Keeps what was read unless a newer version or the stop of this one is already known. */
    private Optional<Shadow> keep(Optional<Shadow> read) {
        return newest.updateAndGet(known -> {
            if (known == null || known.isEmpty() || read.isEmpty()) {
                return read.isPresent() || known == null ? read : known;
            }
            Shadow a = known.get();
            Shadow b = read.get();
            boolean newer = b.policy().version() > a.policy().version()
                    || b.policy().version() == a.policy().version() && a.active() && !b.active();
            return newer ? read : known;
        });
    }

    private Shadow shadowOf(Object[] row) {
        int version = ((Number) row[0]).intValue();
        Shadow known = newest.get() == null ? null : newest.get().orElse(null);
        Policy policy = known != null && known.policy().version() == version ? known.policy()
                : documents.compile(documents.read((String) row[1], "shadow policy"), version, "shadow policy");
        return new Shadow(policy, Timestamps.of(row[2]), row[3] == null ? null : Timestamps.of(row[3]));
    }

}
