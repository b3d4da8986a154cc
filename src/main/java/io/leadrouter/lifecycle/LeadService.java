package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.CloseResult;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.lead.Outcome;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Reading leads, and closing them: the one way out of the lifecycle. */
@ApplicationScoped
public class LeadService {

    private static final String LOCK_OPEN_OFFER = "SELECT id FROM offer WHERE lead_id = :lead AND state = 'OPEN' FOR UPDATE";

    private final EventLog events;
    private final ObjectMapper mapper;

    public LeadService(EventLog events, ObjectMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    @WithSession
    public Uni<LeadView> get(UUID id) {
        return Lead.<Lead> findById(id).map(lead -> {
            if (lead == null) {
                throw DomainException.notFound("Lead", id);
            }
            return LeadView.of(lead);
        });
    }

    /** Newest first, optionally by status and owner. */
    @WithSession
    public Uni<List<LeadView>> list(LeadStatus status, String owner, String team, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (owner != null) {
            query.append(" and ownerRepId = :owner");
            params.and("owner", owner);
        }
        if (team != null) {
            query.append(" and team = :team");
            params.and("team", team);
        }
        return Lead.<Lead> find(query.toString(), Sort.descending("createdAt").and("id"), params)
                .page(Page.ofSize(limit)).list()
                .map(leads -> leads.stream().map(LeadView::of).toList());
    }

    /**
     * Closes a lead with an outcome. The CRM may close a lead in any open state (an open offer is
     * withdrawn); a rep only a lead it owns. Closing again with the same outcome changes nothing.
     */
    public Uni<CloseResult> close(UUID id, Outcome outcome, String actingRepId) {
        // offer before lead, the order accept, decline and expiry lock them in, so a close cannot deadlock with them
        return events.inTransaction(batch -> Sql.rows(LOCK_OPEN_OFFER, Map.of("lead", id))
                .chain(() -> Sql.list("SELECT * FROM lead WHERE id = :id FOR UPDATE", Lead.class, Map.of("id", id)))
                .chain(found -> found.isEmpty()
                        ? Uni.createFrom().failure(DomainException.notFound("Lead", id))
                        : closeLocked(found.get(0), outcome, actingRepId, batch)));
    }

    private Uni<CloseResult> closeLocked(Lead lead, Outcome outcome, String actingRepId, EventBatch batch) {
        if (actingRepId != null && (!actingRepId.equals(lead.ownerRepId)
                || lead.status != LeadStatus.ASSIGNED && lead.status != LeadStatus.CLOSED)) {
            return Uni.createFrom().failure(DomainException.forbidden("NOT_YOURS", "Lead " + lead.id + " is not assigned to you"));
        }
        if (lead.status == LeadStatus.CLOSED) {
            return lead.outcome == outcome
                    ? Uni.createFrom().item(new CloseResult(LeadView.of(lead), null, null, false))
                    : Uni.createFrom().failure(DomainException.conflict("ALREADY_CLOSED",
                            "Lead " + lead.id + " was already closed as " + lead.outcome));
        }
        LeadStatus from = lead.status;
        return freeCapacity(lead).map(freed -> {
            Instant now = Timestamps.now();
            lead.status = LeadStatus.CLOSED;
            lead.outcome = outcome;
            lead.closedAt = now;
            lead.updatedAt = now;
            lead.holdReason = null;
            lead.heldAt = null;
            CloseResult result = new CloseResult(LeadView.of(lead), freed.repId(), freed.offerId(), true);
            batch.lead(EventType.LEAD_CLOSED, lead.id, lead.team, lead.ownerRepId, lead.policyVersion, data("outcome", outcome,
                    "from", from, "closedBy", actingRepId == null ? "crm" : "rep", "cancelledOfferId", freed.offerId(),
                    "offerRepId", freed.offerId() == null ? null : freed.repId()), result);
            return result;
        });
    }

    private record Freed(String repId, UUID offerId) {
    }

    private Uni<Freed> freeCapacity(Lead lead) {
        if (lead.status == LeadStatus.ASSIGNED) {
            return RepLoad.release(List.of(new RepLoad.Release(lead.ownerRepId, lead.loadPoints)), mapper)
                    .replaceWith(new Freed(lead.ownerRepId, null));
        }
        if (lead.status == LeadStatus.OFFERED) {
            return Sql.rows("""
                    UPDATE offer SET state = 'CANCELLED', resolved_at = now()
                    WHERE lead_id = :lead AND state = 'OPEN'
                    RETURNING id, rep_id, load_points
                    """, Map.of("lead", lead.id)).chain(rows -> {
                if (rows.isEmpty()) {
                    return Uni.createFrom().item(new Freed(null, null));
                }
                Object[] offer = rows.get(0);
                return RepLoad.release(List.of(new RepLoad.Release((String) offer[1], ((Number) offer[2]).intValue())), mapper)
                        .replaceWith(new Freed((String) offer[1], (UUID) offer[0]));
            });
        }
        return Uni.createFrom().item(new Freed(null, null));
    }
}
