package io.leadrouter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class RepTokensTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    final RepTokens tokens = new RepTokens("secret".getBytes(StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenNamesItsRepAndEpochUntilItExpires() {
        String token = tokens.issue("ann@example.com", 3, NOW.plusSeconds(60));
        assertThat(tokens.verify(token)).contains(new RepTokens.Claims("ann@example.com", 3));
        assertThat(tokens.verify(tokens.issue("ann", 0, NOW))).isEmpty();
        assertThat(tokens.verify(tokens.issue("ann", 0, NOW.minusSeconds(1)))).isEmpty();
    }

    @Test
    void forgedTamperedOrForeignTokensAreRefused() {
        String token = tokens.issue("ann", 0, NOW.plusSeconds(60));
        String[] parts = token.split("\\.");
        String otherRep = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("bob|0|" + NOW.plusSeconds(60).getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(parts[0] + "." + otherRep + "." + parts[2])).isEmpty();
        String laterEpoch = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("ann|1|" + NOW.plusSeconds(60).getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(parts[0] + "." + laterEpoch + "." + parts[2])).as("the epoch is signed").isEmpty();
        assertThat(tokens.verify(token + "x")).isEmpty();
        assertThat(tokens.verify("lr2.only-one-part")).isEmpty();
        assertThat(tokens.verify("lr2.!!!.???")).isEmpty();
        assertThat(tokens.verify("Bearer " + token)).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
        RepTokens otherSecret = new RepTokens("another".getBytes(StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(otherSecret.verify(token)).isEmpty();
    }
}
