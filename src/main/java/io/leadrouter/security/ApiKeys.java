package io.leadrouter.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * API keys made at run time ({@code /api/v1/keys}): each is shown once when made; the table keeps its SHA-256
 * ({@link Secrets}), its name, roles and own request limit. A deleted key is refused at once on this replica and
 * within milliseconds on the others ({@link Revocations}).
 */
@ApplicationScoped
public class ApiKeys {

    static final String PREFIX = "lr_";
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    /** How often a key's last use is written: a busy key costs one write a minute, not one a request. */
    private static final long LAST_USED_EVERY_NANOS = 60_000_000_000L;

    /** A key as listed; its secret is never shown again. */
    public record Key(UUID id, String name, List<String> roles, Integer requestsPerMinute, Instant createdAt, Instant lastUsedAt) {
    }

    /** A key just made, with its secret: the only time it is shown. */
    public record Created(UUID id, String name, List<String> roles, Integer requestsPerMinute, Instant createdAt, String key) {
    }

    private final Pool pool;
    private final CredentialCache cache;
    private final Revocations revocations;
    private final Map<String, Long> lastUseWritten = new ConcurrentHashMap<>();

    public ApiKeys(Pool pool, CredentialCache cache, Revocations revocations) {
        this.pool = pool;
        this.cache = cache;
        this.revocations = revocations;
    }

    public Uni<Created> create(String name, List<String> roles, Integer requestsPerMinute) {
        List<String> checked = checkedRoles(roles);
        String secret = Secrets.newSecret(PREFIX);
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("""
                INSERT INTO api_key (id, name, roles, hash, requests_per_minute) VALUES ($1, $2, $3, $4, $5)
                RETURNING created_at""")
                .execute(Tuple.tuple().addValue(id).addValue(name).addArrayOfString(checked.toArray(String[]::new))
                        .addValue(Buffer.buffer(Secrets.sha256(secret))).addValue(requestsPerMinute))
                .map(rows -> new Created(id, name, checked, requestsPerMinute,
                        rows.iterator().next().getOffsetDateTime("created_at").toInstant(), secret));
    }

    public Uni<List<Key>> list() {
        return pool.query("""
                SELECT id, name, roles, requests_per_minute, created_at, last_used_at FROM api_key ORDER BY created_at, id""")
                .execute().map(rows -> {
                    List<Key> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(new Key(row.getUUID("id"), row.getString("name"), List.of(row.getArrayOfStrings("roles")),
                            row.getInteger("requests_per_minute"), instant(row, "created_at"), instant(row, "last_used_at"))));
                    return keys;
                });
    }

    /** Revokes the key and the console sessions opened with it. */
    public Uni<Void> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM api_key WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw DomainException.notFound("API key", id);
            }
            revocations.revoked(Credential.Kind.API_KEY, id.toString());
            return null;
        });
    }

    /** The key with this secret, if there is one. */
    Uni<Optional<Caller>> authenticate(String secret) {
        return cache.get(Secrets.sha256(secret), () -> pool.preparedQuery(
                "SELECT id, name, roles, requests_per_minute FROM api_key WHERE hash = $1")
                .execute(Tuple.of(Buffer.buffer(Secrets.sha256(secret)))).map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    String id = row.getUUID("id").toString();
                    Integer limit = row.getInteger("requests_per_minute");
                    return Optional.of(new Caller(new Credential(Credential.Kind.API_KEY, id, row.getString("name"), id, null, 0),
                            Roles.granted(Set.of(row.getArrayOfStrings("roles"))), limit == null ? 0 : limit));
                }));
    }

    /** Records that the key was used, at most once a minute per key and replica; never fails the caller. */
    void used(Credential key) {
        long now = System.nanoTime();
        boolean[] due = { false };
        lastUseWritten.compute(key.id(), (id, written) -> {
            due[0] = written == null || now - written >= LAST_USED_EVERY_NANOS;
            return due[0] ? now : written;
        });
        if (!due[0]) {
            return;
        }
        pool.preparedQuery("UPDATE api_key SET last_used_at = now() WHERE id = $1").execute(Tuple.of(UUID.fromString(key.id())))
                .subscribe().with(ok -> { }, failure -> LOG.debugf("Recording the use of key %s failed: %s", key.id(), failure));
    }

    private static List<String> checkedRoles(List<String> roles) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (roles == null || roles.isEmpty()) {
            errors.add(new Problem.FieldError("roles", "needs at least one of " + Roles.KEY_ROLES));
        } else {
            for (int i = 0; i < roles.size(); i++) {
                if (!Roles.KEY_ROLES.contains(roles.get(i))) {
                    errors.add(new Problem.FieldError("roles[" + i + "]", "must be one of " + Roles.KEY_ROLES));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return List.copyOf(new LinkedHashSet<>(roles));
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant();
    }
}
