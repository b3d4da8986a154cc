package io.leadrouter.offer;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "offer")
public class Offer extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "lead_id")
    public UUID leadId;
    @Column(name = "rep_id")
    public String repId;
    /** The lead's attempt counter when this offer was made: the fence every accept, decline and expiry checks. */
    public int attempt;
    @Column(name = "load_points")
    public int loadPoints;
    @Enumerated(EnumType.STRING)
    public OfferState state;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "resolved_at")
    public Instant resolvedAt;
    @Column(name = "decline_reason")
    public String declineReason;
}
