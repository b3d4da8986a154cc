package io.leadrouter.event;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Something a manager should know: a lead held, escalated, or taken back from an untending rep. */
@Entity
@Table(name = "routing_event")
public class RoutingEvent extends PanacheEntityBase {

    public enum Kind {
        HELD, ESCALATED, TAKEN_BACK
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Column(name = "lead_id")
    public UUID leadId;
    public String team;
    @Column(name = "rep_id")
    public String repId;
    public String reason;
    @Column(name = "created_at")
    public Instant createdAt;
}
