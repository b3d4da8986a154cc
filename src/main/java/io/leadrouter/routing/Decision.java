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

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The record of one routing decision: who was considered, why each was excluded or how it scored, who was chosen. */
@Entity
@Table(name = "decision")
public class Decision extends PanacheEntityBase {

    /** OFFER: pushed to the best rep. PULL: a rep pulled it. NO_MATCH: nobody could take it (recorded once per attempt). */
    /** The JSON of a decision (an object, so it can grow beside the candidate list). */
    public record Trace(List<CandidateTrace> candidates) {
    }

    public enum Kind {
        OFFER, PULL, NO_MATCH
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
    @JdbcTypeCode(SqlTypes.JSON)
    public Trace trace;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Decision of(UUID leadId, int attempt, Kind kind, Mode mode, String chosenRepId, UUID offerId,
            List<CandidateTrace> candidates, Instant now) {
        Decision decision = new Decision();
        decision.leadId = leadId;
        decision.attempt = attempt;
        decision.kind = kind;
        decision.mode = mode;
        decision.chosenRepId = chosenRepId;
        decision.offerId = offerId;
        decision.trace = new Trace(candidates);
        decision.createdAt = now;
        return decision;
    }
}
