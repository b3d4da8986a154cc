package io.leadrouter.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The record of one routing decision: who was considered, why each was excluded or how it scored, who was chosen. */
@Entity
@Table(name = "decision")
public class Decision extends PanacheEntityBase {

    /**
     * The JSON of a decision.
     *
     * @param relaxed criteria relaxed for the lead when it was decided (fallback chain, escalation)
     * @param reason why the lead was held or taken back, for those kinds
     */
    // a JSON column read and written by Hibernate's format mapper: native images need it registered
    @RegisterForReflection(registerFullHierarchy = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Trace(List<CandidateTrace> candidates, List<Criterion> relaxed, String reason) {
    }

    /**
     * OFFER: pushed to the best rep. PULL: a rep pulled it. NO_MATCH: nobody could take it now
     * (recorded once per attempt). HELD: nobody qualifies even after the fallback chain.
     * TAKEN_BACK: assigned but untended past the SLA.
     */
    public enum Kind {
        OFFER, PULL, NO_MATCH, HELD, TAKEN_BACK
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "lead_id")
    public UUID leadId;
    public int attempt;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Enumerated(EnumType.STRING)
    public Mode mode;
    @Column(name = "chosen_rep_id")
    public String chosenRepId;
    @Column(name = "offer_id")
    public UUID offerId;
    @Column(name = "policy_version")
    public int policyVersion;
    @JdbcTypeCode(SqlTypes.JSON)
    public Trace trace;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Decision of(UUID leadId, int attempt, Kind kind, Mode mode, String chosenRepId, UUID offerId,
            int policyVersion, Trace trace, Instant now) {
        Decision decision = new Decision();
        decision.leadId = leadId;
        decision.attempt = attempt;
        decision.kind = kind;
        decision.mode = mode;
        decision.chosenRepId = chosenRepId;
        decision.offerId = offerId;
        decision.policyVersion = policyVersion;
        decision.trace = trace;
        decision.createdAt = now;
        return decision;
    }
}
