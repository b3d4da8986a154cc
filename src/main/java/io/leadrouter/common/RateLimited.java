package io.leadrouter.common;

import java.time.Duration;

import io.quarkus.security.AuthenticationException;

/**
 * A caller over a limit: too many failed authentications from its address, or too many requests with its key. The
 * REST edge answers 429 with {@code Retry-After}. An {@link AuthenticationException}, so that Quarkus security hands
 * it on as it is.
 */
public class RateLimited extends SecurityException implements AuthenticationException {

    private final Duration retryAfter;

    public RateLimited(String detail, Duration retryAfter) {
        super(detail);
        this.retryAfter = retryAfter;
    }

    /** How long until the caller may try again: whole seconds, at least one. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
