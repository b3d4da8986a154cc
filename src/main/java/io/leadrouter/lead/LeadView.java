package io.leadrouter.lead;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A lead as the API returns it: the CRM's fields plus the server-owned ones. */
public record LeadView(UUID id, String externalId, String source, String name, String email, String phone,
        String company, String country, String region, String postalCode, String language, String product,
        String industry, BigDecimal value, Integer score, Map<String, Integer> requiredSkills,
        Map<String, Object> attributes, String team, LeadStatus status, String ownerRepId, int priority,
        int loadPoints, int attempts, String holdReason, Outcome outcome, Instant createdAt, Instant assignedAt,
        Instant closedAt) {

    /** The lead without its email and phone, for a rep who has not taken it. */
    public LeadView withoutContactDetails() {
        return new LeadView(id, externalId, source, name, null, null, company, country, region, postalCode, language, product,
                industry, value, score, requiredSkills, attributes, team, status, ownerRepId, priority, loadPoints, attempts,
                holdReason, outcome, createdAt, assignedAt, closedAt);
    }

    public static LeadView of(Lead lead) {
        return new LeadView(lead.id, lead.externalId, lead.source, lead.name, lead.email, lead.phone, lead.company,
                lead.country, lead.region, lead.postalCode, lead.language, lead.product, lead.industry, lead.value,
                lead.score, lead.requiredSkills, lead.attributes, lead.team, lead.status, lead.ownerRepId,
                lead.priority, lead.loadPoints, lead.attempts, lead.holdReason, lead.outcome, lead.createdAt,
                lead.assignedAt, lead.closedAt);
    }
}
