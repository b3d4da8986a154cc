package io.leadrouter.lifecycle;

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

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.DecisionTrace;
import io.leadrouter.routing.DecisionView;
import io.leadrouter.routing.Mode;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The record of one routing decision: who was considered, why each was excluded or how it scored, who was chosen. */
// the trace is a JSON column read and written by Hibernate's format mapper: native images need it registered
@RegisterForReflection(targets = DecisionTrace.class, registerFullHierarchy = true)
@Entity
@Table(name = "decision")
public class Decision extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "lead_id")
    public UUID leadId;
    public int attempt;
    @Enumerated(EnumType.STRING)
    public DecisionKind kind;
    @Enumerated(EnumType.STRING)
    public Mode mode;
    @Column(name = "chosen_rep_id")
    public String chosenRepId;
    @Column(name = "offer_id")
    public UUID offerId;
    @Column(name = "policy_version")
    public int policyVersion;
    @JdbcTypeCode(SqlTypes.JSON)
    public DecisionTrace trace;
    @Column(name = "created_at")
    public Instant createdAt;

    /** The decision as its trace is read: from the lead's side, or by "why not this rep". */
    public DecisionView view() {
        return new DecisionView(id, attempt, kind, mode, chosenRepId, offerId, policyVersion,
                trace.relaxed() == null ? List.of() : trace.relaxed(), trace.reason(), createdAt,
                trace.candidates() == null ? List.of() : trace.candidates(), trace.decidedBy(), trace.affinity(), trace.manual());
    }

    public static Decision of(UUID leadId, int attempt, DecisionKind kind, Mode mode, String chosenRepId, UUID offerId,
            int policyVersion, DecisionTrace trace, Instant now) {
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
