package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.JsonRows;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.CloseResult;
import io.leadrouter.lead.LeadDecline;
import io.leadrouter.lead.LeadDetail;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.lead.Outcome;
import io.leadrouter.routing.CandidateTrace;
import io.leadrouter.routing.DecisionView;
import io.leadrouter.routing.Exclusion;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Reading leads, and closing them: the one way out of the lifecycle. */
@ApplicationScoped
public class LeadService {

    /** A lead's open offer (its id and rep), locked before the lead: the order accept, decline and expiry lock them in. */
    static final String LOCK_OPEN_OFFER = "SELECT id, rep_id FROM offer WHERE lead_id = :lead AND state = 'OPEN' FOR UPDATE";

    /**
     * The lead to close, locked after its open offer: the offer's lock is the init plan of the lead's filter, so it is
     * taken before the lead's row is (offer before lead, the order accept, decline and expiry lock them in, so a close
     * cannot deadlock with them).
     */
    private static final String LOCK_FOR_CLOSE = lockForClose("");

    /** {@link #LOCK_FOR_CLOSE} for a rep's close: nothing is locked unless the rep's token is current. */
    private static final String LOCK_FOR_CLOSE_BY_REP = lockForClose("AND " + ActingRep.TOKEN_CURRENT);

    private static String lockForClose(String condition) {
        return """
                WITH o AS (%s)
                SELECT l.* FROM lead l WHERE l.id = :lead AND (SELECT count(*) FROM o) >= 0 %s FOR UPDATE OF l
                """.formatted(LOCK_OPEN_OFFER, condition);
    }

    /**
     * The close, the owner's load given back ({@link RepLoad#RELEASE}, as late as can be: the rep's row stays locked
     * until the commit) and its {@code lead.closed} event in one statement.
     */
    private static final String CLOSE = """
            WITH released AS (
            %s), l AS (
                UPDATE lead SET status = 'CLOSED', outcome = :outcome, closed_at = :now, updated_at = :now, hold_reason = NULL,
                                held_at = NULL
                WHERE id = :lead AND status <> 'CLOSED'
                RETURNING id
            )
            INSERT INTO lifecycle_event (type, lead_id, rep_id, team, policy_version, data)
            SELECT 'lead.closed', l.id, :rep, :team, :policy, cast(cast(:data AS text) AS jsonb) FROM l
            RETURNING id, cast(tx AS text), occurred_at
            """.formatted(RepLoad.RELEASE);

    /**
     * A rep's close of a lead it holds, in one statement outside a transaction (the hot path of a swamped team): the
     * lead closed if it is ASSIGNED to this rep and the rep's token current, its load given back
     * ({@link RepLoad#RELEASE_FROM}) and its {@code lead.closed} event written; no row for any other lead, which the
     * locking close then answers. It locks the lead and then the rep, as {@link #LOCK_FOR_CLOSE} and {@link #CLOSE} do.
     */
    private static final Sql.Direct CLOSE_OWNED = Sql.Direct.of("""
            WITH l AS (
                UPDATE lead SET status = 'CLOSED', outcome = :outcome, closed_at = :now, updated_at = :now, hold_reason = NULL,
                                held_at = NULL
                WHERE id = :lead AND status = 'ASSIGNED' AND owner_rep_id = :rep AND %s
                RETURNING lead.*
            ), released AS (
            %s), e AS (
                INSERT INTO lifecycle_event (type, lead_id, rep_id, team, policy_version, data)
                SELECT 'lead.closed', l.id, l.owner_rep_id, l.team, l.policy_version, cast(cast(:data AS text) AS jsonb) FROM l
                RETURNING id AS event_id, cast(tx AS text) AS event_tx, occurred_at AS event_at
            )
            SELECT cast(to_jsonb(l) AS text), e.* FROM l, e
            """.formatted(ActingRep.TOKEN_CURRENT, RepLoad.RELEASE_FROM.formatted("SELECT owner_rep_id AS rep_id, load_points AS points FROM l")));

    private final EventLog events;
    private final ObjectMapper mapper;
    private final JsonRows stored;

    public LeadService(EventLog events, ObjectMapper mapper, JsonRows stored) {
        this.events = events;
        this.mapper = mapper;
        this.stored = stored;
    }

    /** The declines of a lead's offers, oldest first, with the reasons the reps gave. */
    private static final String DECLINES = """
            SELECT rep_id, attempt, decline_reason, resolved_at FROM offer WHERE lead_id = :lead AND state = 'DECLINED'
            ORDER BY attempt
            """;

    /** The lead with the declines of its offers. */
    @WithSession
    public Uni<LeadDetail> get(UUID id) {
        return Lead.<Lead> findById(id).chain(lead -> {
            if (lead == null) {
                return Uni.createFrom().failure(DomainException.notFound("Lead", id));
            }
            return declines(id).map(declines -> new LeadDetail(LeadView.of(lead), declines));
        });
    }

    /** The declines of the lead's offers, oldest first, in the caller's session. */
    public Uni<List<LeadDecline>> declines(UUID leadId) {
        return Sql.rows(DECLINES, Map.of("lead", leadId)).map(rows -> rows.stream().map(row -> new LeadDecline((String) row[0],
                ((Number) row[1]).intValue(), (String) row[2], Timestamps.of(row[3]))).toList());
    }

    /**
     * The decisions as the trace shows them, with each rep excluded for having declined the lead saying why it
     * declined: the reason is the offer's, the decision only knows the rep is in declined_by.
     */
    public static List<DecisionView> withDeclineReasons(List<DecisionView> decisions, List<LeadDecline> declines) {
        Map<String, String> reasons = new HashMap<>();
        declines.stream().filter(d -> d.reason() != null).forEach(d -> reasons.put(d.repId(), d.reason()));
        if (reasons.isEmpty()) {
            return decisions;
        }
        return decisions.stream().map(d -> new DecisionView(d.id(), d.attempt(), d.kind(), d.mode(), d.chosenRepId(),
                d.offerId(), d.policyVersion(), d.relaxed(), d.reason(), d.createdAt(), d.candidates().stream()
                        .map(c -> c.exclusion() == Exclusion.DECLINED_BEFORE && reasons.containsKey(c.repId())
                                ? new CandidateTrace(c.repId(), false, c.exclusion(), c.detail() + ": " + reasons.get(c.repId()),
                                        null, null)
                                : c).toList(), d.decidedBy(), d.affinity(), d.manual())).toList();
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
     * withdrawn); a rep only a lead it owns, while its token is current. Closing again with the same outcome changes
     * nothing.
     *
     * @param acting the rep closing from its socket, or null for the CRM
     */
    public Uni<CloseResult> close(UUID id, Outcome outcome, ActingRep acting) {
        if (acting == null) {
            return closeLocking(id, outcome, null);
        }
        return events.inOneStatement(batch -> closeOwned(id, outcome, acting, batch))
                .chain(closed -> closed != null ? Uni.createFrom().item(closed) : closeLocking(id, outcome, acting));
    }

    /** {@link #CLOSE_OWNED}: the closed lead, or null when it was not this rep's ASSIGNED lead (or the token not current). */
    private Uni<CloseResult> closeOwned(UUID id, Outcome outcome, ActingRep acting, EventBatch batch) {
        Map<String, Object> data = closedData(outcome, LeadStatus.ASSIGNED, acting.id(), null);
        Map<String, Object> params = new HashMap<>();
        params.put("lead", id);
        params.put("rep", acting.id());
        params.put("epoch", acting.tokenEpoch());
        params.put("outcome", outcome.name());
        params.put("now", Timestamps.now());
        params.put("data", json(data));
        return Sql.direct(CLOSE_OWNED, params).map(rows -> {
            if (rows.isEmpty()) {
                return null;
            }
            Object[] row = rows.get(0);
            Lead lead = stored.read(row[0], Lead.class);
            CloseResult result = new CloseResult(LeadView.of(lead), lead.ownerRepId, null, true);
            batch.written(((Number) row[1]).longValue(), (String) row[2], Timestamps.of(row[3]), EventType.LEAD_CLOSED, lead.id,
                    lead.team, lead.ownerRepId, lead.policyVersion, data, result);
            return result;
        });
    }

    /** Locks the lead (its open offer first) and closes it, or says why not, in a transaction. */
    private Uni<CloseResult> closeLocking(UUID id, Outcome outcome, ActingRep acting) {
        Map<String, Object> params = acting == null ? Map.of("lead", id)
                : Map.of("lead", id, "rep", acting.id(), "epoch", acting.tokenEpoch());
        return events.inTransaction(batch -> Sql.list(acting == null ? LOCK_FOR_CLOSE : LOCK_FOR_CLOSE_BY_REP, Lead.class,
                params).call(Sql::detach)
                .chain(found -> found.isEmpty()
                        ? (acting == null ? Uni.createFrom().voidItem() : acting.requireCurrent())
                                .chain(() -> Uni.createFrom().<CloseResult> failure(DomainException.notFound("Lead", id)))
                        : closeLocked(found.get(0), outcome, acting == null ? null : acting.id(), batch)));
    }

    /**
     * Closes a lead the caller locked (its open offer first) and read detached or read-only (the close writes it with
     * its own statement; a managed lead would be flushed again), in the caller's transaction.
     */
    Uni<CloseResult> closeLocked(Lead lead, Outcome outcome, String actingRepId, EventBatch batch) {
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
        // an owner's load is given back by the close's own statement, an open offer's when the offer is cancelled
        boolean owned = lead.status == LeadStatus.ASSIGNED;
        Uni<Freed> freeing = owned ? Uni.createFrom().item(new Freed(lead.ownerRepId, null)) : freeCapacity(lead);
        return freeing.chain(freed -> {
            Instant now = Timestamps.now();
            Map<String, Object> data = closedData(outcome, from, actingRepId, freed);
            Map<String, Object> params = new HashMap<>();
            params.put("lead", lead.id);
            params.put("outcome", outcome.name());
            params.put("now", now);
            params.put("rep", lead.ownerRepId);
            params.put("team", lead.team);
            params.put("policy", lead.policyVersion);
            params.put("data", json(data));
            params.put("released", RepLoad.released(owned ? List.of(new RepLoad.Release(lead.ownerRepId, lead.loadPoints)) : List.of(),
                    mapper));
            return Sql.rows(CLOSE, params).map(rows -> {
                lead.status = LeadStatus.CLOSED;
                lead.outcome = outcome;
                lead.closedAt = now;
                lead.updatedAt = now;
                lead.holdReason = null;
                lead.heldAt = null;
                CloseResult result = new CloseResult(LeadView.of(lead), freed.repId(), freed.offerId(), true);
                Object[] row = rows.get(0);
                batch.written(((Number) row[0]).longValue(), (String) row[1], Timestamps.of(row[2]), EventType.LEAD_CLOSED, lead.id,
                        lead.team, lead.ownerRepId, lead.policyVersion, data, result);
                return result;
            });
        });
    }

    /** The data of a {@code lead.closed} event; {@code freed} is null when the owner's load was given back. */
    private static Map<String, Object> closedData(Outcome outcome, LeadStatus from, String actingRepId, Freed freed) {
        UUID cancelledOffer = freed == null ? null : freed.offerId();
        return data("outcome", outcome, "from", from, "closedBy", actingRepId == null ? "crm" : "rep", "cancelledOfferId",
                cancelledOffer, "offerRepId", cancelledOffer == null ? null : freed.repId());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whose load a lead leaving its holder gave back: the owner's, or the rep's whose open offer was cancelled. */
    record Freed(String repId, UUID offerId) {
    }

    /** Gives back the load a locked lead holds (its owner's, or its open offer's, cancelled), in the caller's transaction. */
    Uni<Freed> freeCapacity(Lead lead) {
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
