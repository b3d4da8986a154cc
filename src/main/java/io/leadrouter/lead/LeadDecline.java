package io.leadrouter.lead;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A rep turned an offer of the lead down: on which attempt, when, and why (the decline frame's reason; null when none given). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadDecline(String repId, int attempt, String reason, Instant at) {
}
