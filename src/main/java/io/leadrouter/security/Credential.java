package io.leadrouter.security;

import java.time.Instant;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * What a caller authenticated with, kept on its identity ({@link #of}).
 *
 * @param id the key's id ({@code env-1} for the first bootstrap key), the session's, or the rep's
 * @param name the key's name; for a session, the name of the key that opened it
 * @param keyId the key itself, or the key a console session was opened with; null for a rep
 * @param expiresAt when a console session ends; null otherwise
 * @param epoch the rep's token epoch the token was issued in; 0 otherwise
 */
public record Credential(Kind kind, String id, String name, String keyId, Instant expiresAt, long epoch) {

    static final String ATTRIBUTE = "leadrouter.credential";

    public enum Kind {
        /** one of {@code leadrouter.api-keys}: admin */
        BOOTSTRAP_KEY,
        /** made with {@code POST /api/v1/keys} */
        API_KEY,
        /** a manager console's, opened with a key */
        CONSOLE_SESSION,
        /** a rep's, for the agent socket */
        REP_TOKEN
    }

    public boolean isKey() {
        return kind == Kind.BOOTSTRAP_KEY || kind == Kind.API_KEY;
    }

    /** The caller's credential; null for an anonymous one. */
    public static Credential of(SecurityIdentity identity) {
        return identity == null ? null : identity.getAttribute(ATTRIBUTE);
    }
}
