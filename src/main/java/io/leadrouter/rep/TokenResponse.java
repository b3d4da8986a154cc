package io.leadrouter.rep;

import java.time.Instant;

/** A rep access token for the agent client, and when it stops working. */
public record TokenResponse(String repId, String token, Instant expiresAt) {
}
