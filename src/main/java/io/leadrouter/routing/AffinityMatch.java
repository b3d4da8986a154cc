package io.leadrouter.routing;

import java.util.UUID;

/**
 * The earlier lead of the same account a lead matched (owner affinity): the most recent one with an owner
 * within the policy's window, on the first of the policy's keys that matched.
 *
 * @param key which key matched: {@code attributes.accountId}, {@code emailDomain} or {@code company}
 * @param value the matched value
 * @param leadId the earlier lead
 * @param ownerRepId that lead's owner, who is offered this one first when eligible
 */
public record AffinityMatch(String key, String value, UUID leadId, String ownerRepId) {
}
