package io.leadrouter.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.DomainException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Manager console sessions: a key that may read is exchanged once for a session token that reads for
 * {@code leadrouter.console-session-ttl} (8 h), so the key itself stays out of the browser. Only the token's
 * SHA-256 is kept; a session ends when it expires, is deleted, or the run-time key it was opened with is.
 */
@ApplicationScoped
public class SessionTokens {

    static final String PREFIX = "lrs_";

    /** A session just opened, with its token: the only time it is shown. */
    public record Opened(UUID id, String token, String issuedBy, Instant createdAt, Instant expiresAt) {
    }

    /** A session as listed. */
    public record Session(UUID id, String issuedBy, Instant createdAt, Instant expiresAt) {
    }

    private final Pool pool;
    private final CredentialCache cache;
    private final Revocations revocations;
    private final LeadRouterConfig config;

    public SessionTokens(Pool pool, CredentialCache cache, Revocations revocations, LeadRouterConfig config) {
        this.pool = pool;
        this.cache = cache;
        this.revocations = revocations;
        this.config = config;
    }

    /**
     * A new session for the holder of this key; sessions that ended are cleared away meanwhile. A session opened with an
     * admin key may do what the key may (the console's manager actions); any other reads.
     */
    public Uni<Opened> open(Credential key, boolean admin) {
        if (key == null || !key.isKey()) {
            throw DomainException.forbidden("NEEDS_A_KEY", "A console session is opened with an API key, not with another session");
        }
        String token = Secrets.newSecret(PREFIX);
        UUID id = UUID.randomUUID();
        return pool.query("DELETE FROM console_session WHERE expires_at <= now()").execute()
                .chain(() -> pool.preparedQuery("""
                        INSERT INTO console_session (id, hash, key_id, api_key_id, issued_by, expires_at, admin)
                        VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7)
                        RETURNING created_at, expires_at""")
                        .execute(Tuple.tuple().addValue(id).addValue(Buffer.buffer(Secrets.sha256(token))).addValue(key.keyId())
                                .addValue(key.kind() == Credential.Kind.API_KEY ? UUID.fromString(key.keyId()) : null)
                                .addValue(key.name()).addValue(config.consoleSessionTtl().toMillis() / 1000.0).addValue(admin)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Opened(id, token, key.name(), instant(row, "created_at"), instant(row, "expires_at"));
                });
    }

    public Uni<List<Session>> list() {
        return pool.query("""
                SELECT id, issued_by, created_at, expires_at FROM console_session WHERE expires_at > now() ORDER BY created_at, id""")
                .execute().map(rows -> {
                    List<Session> sessions = new ArrayList<>();
                    rows.forEach(row -> sessions.add(new Session(row.getUUID("id"), row.getString("issued_by"), instant(row, "created_at"),
                            instant(row, "expires_at"))));
                    return sessions;
                });
    }

    /** Ends a session: its own holder may (signing out), and an admin may end any. */
    public Uni<Void> close(UUID id, Credential caller, boolean admin) {
        if (!admin && !(caller.kind() == Credential.Kind.CONSOLE_SESSION && caller.id().equals(id.toString()))) {
            throw DomainException.forbidden("NOT_YOUR_SESSION", "Only an admin key ends another console session");
        }
        return pool.preparedQuery("DELETE FROM console_session WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw DomainException.notFound("Console session", id);
            }
            revocations.revoked(Credential.Kind.CONSOLE_SESSION, id.toString());
            return null;
        });
    }

    /** The session with this token, while it lasts. */
    Uni<Optional<Caller>> authenticate(String token) {
        byte[] hash = Secrets.sha256(token);
        return cache.get(hash, () -> pool.preparedQuery(
                "SELECT id, key_id, issued_by, expires_at, admin FROM console_session WHERE hash = $1 AND expires_at > now()")
                .execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.<Caller> empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Caller(new Credential(Credential.Kind.CONSOLE_SESSION, row.getUUID("id").toString(),
                            row.getString("issued_by"), row.getString("key_id"), instant(row, "expires_at"), 0),
                            row.getBoolean("admin") ? Roles.granted(Set.of(Roles.ADMIN)) : Set.of(Roles.READ), 0));
                }))
                .map(found -> found.filter(caller -> caller.credential().expiresAt().isAfter(Instant.now())));
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }
}
