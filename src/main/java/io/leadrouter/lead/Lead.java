package io.leadrouter.lead;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.LeadFacts;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "lead")
public class Lead extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "request_hash")
    public String requestHash;
    @Column(name = "external_id")
    public String externalId;
    public String source;
    public String name;
    public String email;
    public String phone;
    public String company;
    public String country;
    public String region;
    @Column(name = "postal_code")
    public String postalCode;
    public String language;
    public String product;
    public String industry;
    public BigDecimal value;
    public Integer score;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "required_skills")
    public Map<String, Integer> requiredSkills;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> attributes;
    public String team;
    @Enumerated(EnumType.STRING)
    public LeadStatus status;
    @Column(name = "owner_rep_id")
    public String ownerRepId;
    public int priority;
    /** The priority the rules gave at intake; aging adds to it while the lead waits. */
    @Column(name = "base_priority")
    public int basePriority;
    @Column(name = "load_points")
    public int loadPoints;
    public int attempts;
    @Column(name = "declined_by")
    public String[] declinedBy;
    @Column(name = "missed_by")
    public String[] missedBy;
    @Column(name = "hold_reason")
    public String holdReason;
    /** Rep tiers a policy rule reserved the lead for; empty: any. */
    public Integer[] tiers;
    /** Criteria relaxed for this lead by the fallback chain or an escalation. */
    public String[] relaxed;
    @Column(name = "policy_version")
    public int policyVersion;
    @Column(name = "held_at")
    public Instant heldAt;
    @Column(name = "escalated_at")
    public Instant escalatedAt;
    @Enumerated(EnumType.STRING)
    public Outcome outcome;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "assigned_at")
    public Instant assignedAt;
    @Column(name = "closed_at")
    public Instant closedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** When the CRM last modified the record the lead's fields come from, as the CRM sent it (RecordIntake). */
    @Column(name = "record_modified_at")
    public Instant recordModifiedAt;

    /** The e-mail's domain and the normalised company name, set at intake: the account keys of owner affinity (V14). */
    @Column(name = "email_domain")
    public String emailDomain;
    @Column(name = "company_key")
    public String companyKey;

    public LeadFacts facts() {
        Set<Criterion> relaxedCriteria = EnumSet.noneOf(Criterion.class);
        if (relaxed != null) {
            Arrays.stream(relaxed).map(Criterion::valueOf).forEach(relaxedCriteria::add);
        }
        return new LeadFacts(id, team, loadPoints, requiredSkills == null ? Map.of() : requiredSkills, language, country,
                region, postalCode, value == null ? null : value.doubleValue(),
                tiers == null ? Set.of() : Set.of(tiers), setOf(declinedBy), setOf(missedBy), relaxedCriteria);
    }

    private static Set<String> setOf(String[] values) {
        return values == null ? Set.of() : new HashSet<>(Arrays.asList(values));
    }
}
