package io.leadrouter.security;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.mutiny.Uni;

/**
 * Valid API keys and console sessions by the SHA-256 of their secret, so that a request does not cost a database
 * lookup. An entry is dropped when it is revoked on any replica ({@link Revocations}) and is used for
 * {@link #TTL} at most, which bounds how long a replica that missed a revocation notice serves it. Unknown
 * secrets are never kept: the failed-authentication limit bounds their lookups.
 */
@ApplicationScoped
class CredentialCache {

    static final Duration TTL = Duration.ofSeconds(30);

    private record Entry(Caller caller, long loadedAt) {
    }

    private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
    /** Raised by every revocation: a lookup that began before one must not put what it read in the cache. */
    private final AtomicLong revocations = new AtomicLong();

    Uni<Optional<Caller>> get(byte[] hash, Supplier<Uni<Optional<Caller>>> lookup) {
        String key = HexFormat.of().formatHex(hash);
        Entry entry = byHash.get(key);
        long now = System.nanoTime();
        if (entry != null && now - entry.loadedAt() < TTL.toNanos()) {
            return Uni.createFrom().item(Optional.of(entry.caller()));
        }
        long before = revocations.get();
        return lookup.get().invoke(found -> {
            if (found.isEmpty()) {
                byHash.remove(key);
            } else if (revocations.get() == before) {
                byHash.put(key, new Entry(found.get(), now));
            }
        });
    }

    void revoked(@Observes Revocations.Revoked revoked) {
        revocations.incrementAndGet();
        byHash.values().removeIf(entry -> revoked.covers(entry.caller().credential()));
    }
}
