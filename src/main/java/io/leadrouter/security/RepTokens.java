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
 * Signed, expiring rep tokens: {@code lr2.<base64url(repId "|" epoch "|" expiry-epoch-seconds)>.<base64url(HMAC-SHA256)>}.
 * The signature makes them checkable on every replica that shares the secret; the epoch is the rep's
 * {@code token_epoch} when the token was issued, so raising it (a deactivation, a revocation) retires every token
 * issued before ({@link RepTokenCheck}).
 */
public final class RepTokens {

    static final String PREFIX = "lr2.";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What a token says: whose it is and of which epoch. */
    public record Claims(String repId, long epoch) {
    }

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

    public String issue(String repId, long epoch, Instant expiresAt) {
        String payload = ENCODER.encodeToString((repId + "|" + epoch + "|" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + "." + ENCODER.encodeToString(sign(payload));
    }

    /** What the token says, if its signature is ours and it has not expired. */
    public Optional<Claims> verify(String token) {
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
            int expiryBar = payload.lastIndexOf('|');
            int epochBar = expiryBar <= 0 ? -1 : payload.lastIndexOf('|', expiryBar - 1);
            if (epochBar <= 0 || Long.parseLong(payload.substring(expiryBar + 1)) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(new Claims(payload.substring(0, epochBar), Long.parseLong(payload.substring(epochBar + 1, expiryBar))));
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
