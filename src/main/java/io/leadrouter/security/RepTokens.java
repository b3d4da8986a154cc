package io.leadrouter.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring rep tokens: {@code lr1.<base64url(repId "|" expiry-epoch-seconds)>.<base64url(HMAC-SHA256)>}.
 * Stateless, so every replica that shares the secret accepts them.
 */
public final class RepTokens {

    private static final String PREFIX = "lr1.";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Clock clock;

    public RepTokens(byte[] secret, Clock clock) {
        this.secret = secret.clone();
        this.clock = clock;
    }

    public static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    public String issue(String repId, Instant expiresAt) {
        String payload = ENCODER.encodeToString((repId + "|" + expiresAt.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + "." + ENCODER.encodeToString(sign(payload));
    }

    /** The rep the token was issued for, if its signature is ours and it has not expired. */
    public Optional<String> verify(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            if (!MessageDigest.isEqual(sign(parts[0]), DECODER.decode(parts[1]))) {
                return Optional.empty();
            }
            String payload = new String(DECODER.decode(parts[0]), StandardCharsets.UTF_8);
            int bar = payload.lastIndexOf('|');
            if (bar <= 0 || Long.parseLong(payload.substring(bar + 1)) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(payload.substring(0, bar));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
