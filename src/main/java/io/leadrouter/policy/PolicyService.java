package io.leadrouter.policy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventLog;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The policy in force: the newest version in routing_policy, compiled once and cached. Every
 * process re-reads the newest version number once a sweep, so a write on one replica is in force
 * on all within a second.
 */
@ApplicationScoped
public class PolicyService {

    private static final String NEWEST = "SELECT version, cast(document AS text), created_at FROM routing_policy ORDER BY version DESC LIMIT 1";
    private static final String INSERT = """
            INSERT INTO routing_policy (document) VALUES (cast(cast(:document AS text) AS jsonb))
            RETURNING version, cast(document AS text), created_at
            """;

    /** A version as the API returns it. */
    public record Version(int version, Instant createdAt, PolicyDocument policy) {
    }

    private final PolicyCompiler compiler;
    private final StoredPolicies documents;
    private final EventLog events;
    private final ShadowPolicyService shadows;
    private final AtomicReference<Stored> current = new AtomicReference<>();

    private record Stored(Policy policy, Instant createdAt) {
    }

    public PolicyService(PolicyCompiler compiler, StoredPolicies documents, EventLog events, ShadowPolicyService shadows) {
        this.compiler = compiler;
        this.documents = documents;
        this.events = events;
        this.shadows = shadows;
    }

    /** The policy in force (loaded on first use). */
    public Uni<Policy> current() {
        Stored stored = current.get();
        return stored != null ? Uni.createFrom().item(stored.policy()) : refresh().map(Stored::policy);
    }

    /** The policy in force with its document, as {@code GET /routing/policy} shows it. */
    public Uni<Version> currentVersion() {
        Stored stored = current.get();
        return (stored != null ? Uni.createFrom().item(stored) : refresh())
                .map(s -> new Version(s.policy().version(), s.createdAt(), s.policy().document()));
    }

    /** Re-reads the newest version when another process wrote one, and the newest shadow version with it. */
    @WithSession
    public Uni<Policy> reload() {
        return refresh().call(shadows::reload).map(Stored::policy);
    }

    private Uni<Stored> refresh() {
        return Sql.rows(NEWEST, Map.of()).map(rows -> {
            Stored known = current.get();
            if (rows.isEmpty()) {
                return current.updateAndGet(s -> s != null ? s : new Stored(compiler.builtInPolicy(), null));
            }
            int version = ((Number) rows.get(0)[0]).intValue();
            if (known != null && known.policy().version() == version) {
                return known;
            }
            Stored loaded = new Stored(documents.compile(documents.read((String) rows.get(0)[1], "policy"), version, "policy"),
                    Timestamps.of(rows.get(0)[2]));
            return current.updateAndGet(s -> s != null && s.policy().version() >= version ? s : loaded);
        });
    }

    /** Validates the document and stores it as the next version, in force at once. */
    public Uni<Version> put(PolicyDocument document) {
        DomainException refusal = documents.refusal(document);
        if (refusal != null) {
            return Uni.createFrom().failure(refusal);
        }
        return events.inTransaction(batch -> Sql.rows(INSERT, Map.of("document", documents.write(document))).map(rows -> {
            Object[] row = rows.get(0);
            int version = ((Number) row[0]).intValue();
            batch.policy(version);
            Stored stored = new Stored(documents.compile(document, version, "policy"), Timestamps.of(row[2]));
            current.updateAndGet(s -> s != null && s.policy().version() >= version ? s : stored);
            return new Version(version, stored.createdAt(), document);
        }));
    }

}
