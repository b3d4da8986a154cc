package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.AssignRequest;
import io.leadrouter.lead.HeldRequest;
import io.leadrouter.lead.HeldResults;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RepView;
import io.leadrouter.rep.RoutingRoster;
import io.leadrouter.routing.CandidateTrace;
import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.DecisionTrace;
import io.leadrouter.routing.ManualAssignment;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.Resolution;
import io.leadrouter.routing.RoutingEngine;
import io.smallrye.mutiny.Uni;

/**
 * What a manager does by hand, each in one transaction with its events: assign or reassign a lead to a named rep,
 * requeue or close held leads in bulk, pause and resume a rep. Every action names who did it ({@link By}) and why.
 */
@ApplicationScoped
public class ManagerActions {

    /** Who acted: the credential's id and name, as the trace and the events record them. */
    public record By(String id, String name) {
    }

    private static final String LOCK_LEAD = "SELECT * FROM lead WHERE id = :id FOR UPDATE";

    /** The reps an assignment touches, locked in id order so two reassignments between the same reps cannot deadlock. */
    private static final String LOCK_REPS = "SELECT * FROM rep WHERE id IN (:ids) ORDER BY id FOR UPDATE";

    private static final String LOCK_HELD_BY_ID = """
            SELECT l.hold_reason, %s FROM lead l WHERE l.id IN (:ids) AND l.status = 'HELD' ORDER BY l.id FOR UPDATE
            """.formatted(LeadUpdate.STATE_COLUMNS);

    private static final String LOCK_HELD_OF_TEAM = """
            SELECT l.hold_reason, %s FROM lead l
            WHERE l.team = :team AND l.status = 'HELD' AND (cast(:reason AS text) IS NULL OR l.hold_reason = :reason)
            ORDER BY l.held_at, l.id LIMIT :limit FOR UPDATE
            """.formatted(LeadUpdate.STATE_COLUMNS);

    private static final String PAUSE = """
            UPDATE rep SET paused_at = now(), paused_by = :by, paused_reason = :reason, updated_at = now()
            WHERE id = :id AND active AND paused_at IS NULL
            RETURNING team, paused_at
            """;

    private static final String RESUME = """
            UPDATE rep SET paused_at = NULL, paused_by = NULL, paused_reason = NULL, updated_at = now()
            WHERE id = :id AND paused_at IS NOT NULL
            RETURNING team, updated_at
            """;

    private final RoutingEngine engine;
    private final PolicyService policies;
    private final RoutingRoster roster;
    private final ModeService modes;
    private final LeadService leads;
    private final OfferService offers;
    private final RepService reps;
    private final EventLog events;
    private final ObjectMapper mapper;

    public ManagerActions(RoutingEngine engine, PolicyService policies, RoutingRoster roster, ModeService modes,
            LeadService leads, OfferService offers, RepService reps, EventLog events, ObjectMapper mapper) {
        this.engine = engine;
        this.policies = policies;
        this.roster = roster;
        this.modes = modes;
        this.leads = leads;
        this.offers = offers;
        this.reps = reps;
        this.events = events;
        this.mapper = mapper;
    }

    /**
     * Gives a lead to the named rep, from any open state: a queued or held lead is assigned; an offered one has its
     * open offer cancelled (the offered rep's load given back); an assigned one changes owner (the previous owner's
     * load given back, and told). Unless forced, the rep must meet every constraint a pull checks. Forced or not, a
     * deactivated rep gets nothing and nobody goes past max load or a period cap: load and caps are invariants the
     * reserve statement and the cap check guard for every path, a manager's too.
     */
    public Uni<LeadView> assign(UUID leadId, AssignRequest request, By by) {
        // offer, then lead, then reps: the order accept and close lock them in
        return events.inTransaction(batch -> Sql.rows(LeadService.LOCK_OPEN_OFFER, Map.of("lead", leadId))
                .chain(open -> Sql.list(LOCK_LEAD, Lead.class, Map.of("id", leadId)).chain(found -> {
                    if (found.isEmpty()) {
                        return Uni.createFrom().failure(DomainException.notFound("Lead", leadId));
                    }
                    Lead lead = found.get(0);
                    if (lead.status == LeadStatus.CLOSED) {
                        return Uni.createFrom().failure(DomainException.conflict("LEAD_CLOSED",
                                "Lead " + leadId + " is closed (" + lead.outcome + ")"));
                    }
                    if (lead.status == LeadStatus.ASSIGNED && request.repId().equals(lead.ownerRepId)) {
                        return Uni.createFrom().item(LeadView.of(lead));
                    }
                    String offerRepId = open.isEmpty() ? null : (String) open.get(0)[1];
                    TreeSet<String> ids = new TreeSet<>(List.of(request.repId()));
                    if (lead.ownerRepId != null) {
                        ids.add(lead.ownerRepId);
                    }
                    if (offerRepId != null) {
                        ids.add(offerRepId);
                    }
                    return Sql.list(LOCK_REPS, Rep.class, Map.of("ids", List.copyOf(ids))).chain(locked -> {
                        Rep rep = locked.stream().filter(r -> r.id.equals(request.repId())).findFirst().orElse(null);
                        if (rep == null) {
                            return Uni.createFrom().failure(DomainException.notFound("Rep", request.repId()));
                        }
                        return assignLocked(lead, rep, request.repId().equals(offerRepId), request, by, batch);
                    });
                })));
    }

    private Uni<LeadView> assignLocked(Lead lead, Rep rep, boolean heldByOffer, AssignRequest request, By by, EventBatch batch) {
        if (!rep.active) {
            return Uni.createFrom().failure(new DomainException(DomainException.Kind.UNPROCESSABLE, "REP_INACTIVE",
                    "Rep " + rep.id + " is deactivated"));
        }
        return policies.current().chain(policy -> {
            TeamPolicy team = policy.forTeam(lead.team);
            return roster.facts(rep, team.fairnessWeekly()).chain(read -> {
                // the rep's open offer of this very lead is given back below: judge the rep without it
                RepFacts facts = heldByOffer ? read.withState(read.presence(), read.activeLoad() - lead.loadPoints,
                        new RepFacts.Caps(read.usage().day() - 1, read.usage().week() - 1, read.usage().month() - 1),
                        read.lastAssignedAt(), read.assignedInFairnessPeriod()) : read;
                Optional<CandidateTrace> excluded = engine.leadExclusion(lead.facts(), facts, team.routing(), Instant.now());
                if (facts.activeLoad() + lead.loadPoints > facts.maxLoad()) {
                    return Uni.createFrom().failure(atCapacity(rep.id, facts.activeLoad(), lead.loadPoints, facts.maxLoad()));
                }
                String cap = RoutingEngine.capReached(facts.caps(), facts.usage());
                if (cap != null) {
                    return Uni.createFrom().failure(new DomainException(DomainException.Kind.UNPROCESSABLE, "CAP_REACHED",
                            "Rep " + rep.id + ": " + cap + "; a forced assignment does not pass a period cap either"));
                }
                if (excluded.isPresent() && !request.force()) {
                    CandidateTrace why = excluded.get();
                    return Uni.createFrom().failure(new DomainException(DomainException.Kind.UNPROCESSABLE, "REP_NOT_ELIGIBLE",
                            "Rep " + rep.id + " cannot take lead " + lead.id + ": " + why.exclusion() + " (" + why.detail()
                                    + "); send \"force\": true to assign it anyway",
                            List.of(new Problem.FieldError("repId", why.exclusion() + ": " + why.detail()))));
                }
                LeadStatus from = lead.status;
                String previousOwner = lead.ownerRepId;
                return leads.freeCapacity(lead).chain(freed -> RepLoad.reserveForPull(rep.id, lead.loadPoints).chain(reserved -> {
                    if (!reserved) {
                        return Uni.createFrom().failure(atCapacity(rep.id, facts.activeLoad(), lead.loadPoints, facts.maxLoad()));
                    }
                    Instant now = Timestamps.now();
                    lead.status = LeadStatus.ASSIGNED;
                    lead.ownerRepId = rep.id;
                    lead.assignedAt = now;
                    lead.updatedAt = now;
                    lead.holdReason = null;
                    lead.heldAt = null;
                    String offerRepId = freed.offerId() == null ? null : freed.repId();
                    ManualAssignment manual = new ManualAssignment(by.name(), by.id(), request.reason(), request.force(),
                            request.force() ? excluded.orElse(null) : null, previousOwner, offerRepId);
                    LeadView view = LeadView.of(lead);
                    Map<String, Object> data = data("via", "manual", "attempt", lead.attempts, "from", from, "by", by.name(),
                            "byId", by.id(), "reason", request.reason(), "forced", request.force(),
                            "previousOwnerRepId", previousOwner, "cancelledOfferId", freed.offerId(), "offerRepId", offerRepId);
                    batch.lead(EventType.LEAD_ASSIGNED, lead.id, lead.team, rep.id, policy.version(), data, view);
                    return Decision.of(lead.id, lead.attempts, DecisionKind.MANUAL, modes.modeOf(lead.team), rep.id,
                            freed.offerId(), policy.version(), new DecisionTrace(List.of(new CandidateTrace(rep.id, true, null,
                                    "assigned by " + by.name(), null, null)), lead.facts().relaxed().stream().sorted().toList(),
                                    request.reason(), null, null, manual), now).persist().replaceWith(view);
                }));
            });
        });
    }

    private static DomainException atCapacity(String repId, int load, int points, int max) {
        return new DomainException(DomainException.Kind.UNPROCESSABLE, "AT_CAPACITY", "Rep " + repId + " is at load " + load
                + " of " + max + " and the lead needs " + points + "; a forced assignment does not exceed max load either");
    }

    /**
     * Puts held leads back in the queue (priority and history kept, as a rep change requeues them), each with its
     * {@code lead.requeued} naming who and why.
     */
    public Uni<HeldResults> requeueHeld(HeldRequest request, By by) {
        return events.inTransaction(batch -> lockHeld(request).chain(rows -> {
            List<LeadUpdate.Change> changes = rows.stream().map(row -> {
                Resolution.Lead lead = LeadUpdate.leadOf(row, 1);
                return new LeadUpdate.Change((UUID) row[1], LeadStatus.HELD, lead.attempt(), LeadStatus.QUEUED, null, null, null,
                        Resolution.of(Resolution.Cause.REQUALIFIED, lead, Resolution.Rules.NONE));
            }).toList();
            return policies.current().chain(policy -> LeadUpdate.apply(changes, mapper).map(moved -> {
                Map<UUID, HeldResults.Item> done = new LinkedHashMap<>();
                for (Object[] row : rows) {
                    UUID id = (UUID) row[1];
                    if (moved.contains(id)) {
                        batch.lead(EventType.LEAD_REQUEUED, id, (String) row[2], null, policy.version(), data("cause", "MANUAL",
                                "holdReason", row[0], "by", by.name(), "byId", by.id(), "reason", request.reason()), null);
                        done.put(id, new HeldResults.Item(id, "REQUEUED", LeadStatus.QUEUED));
                    }
                }
                return done;
            })).chain(done -> results(request, done, "REQUEUED"));
        }));
    }

    /** Closes held leads with the request's outcome, each as {@code POST /leads/{id}/close} closes one. */
    public Uni<HeldResults> closeHeld(HeldRequest request, By by) {
        if (request.outcome() == null) {
            return Uni.createFrom().failure(DomainException.invalid(List.of(new Problem.FieldError("outcome",
                    "must be CONVERTED, DISQUALIFIED or CONTACTED"))));
        }
        return events.inTransaction(batch -> lockHeld(request).chain(rows -> {
            List<UUID> ids = rows.stream().map(row -> (UUID) row[1]).toList();
            Map<UUID, HeldResults.Item> done = new LinkedHashMap<>();
            if (ids.isEmpty()) {
                return results(request, done, "CLOSED");
            }
            // the rows are locked already; the entities are read read-only, to close them as a single close does
            return Sql.readOnly("from Lead where id in ?1", Lead.class, ids).chain(held -> {
                Uni<Void> closing = Uni.createFrom().voidItem();
                for (Lead lead : held) {
                    closing = closing.chain(() -> leads.closeLocked(lead, request.outcome(), null, batch)
                            .invoke(closed -> done.put(lead.id, new HeldResults.Item(lead.id, "CLOSED", LeadStatus.CLOSED)))
                            .replaceWithVoid());
                }
                return closing;
            }).chain(() -> results(request, done, "CLOSED"));
        }));
    }

    private Uni<List<Object[]>> lockHeld(HeldRequest request) {
        if ((request.ids() == null) == (request.team() == null)) {
            return Uni.createFrom().failure(DomainException.invalid("INVALID_SELECTION",
                    "Name the held leads by ids, or by team (and holdReason), not both"));
        }
        if (request.ids() != null) {
            return Sql.rows(LOCK_HELD_BY_ID, Map.of("ids", List.copyOf(new TreeSet<>(request.ids()))));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("team", request.team());
        params.put("reason", request.holdReason());
        params.put("limit", HeldRequest.MAX);
        return Sql.rows(LOCK_HELD_OF_TEAM, params);
    }

    /** Per lead named, in the order sent: done, or why not; for a team, the leads done. */
    private Uni<HeldResults> results(HeldRequest request, Map<UUID, HeldResults.Item> done, String result) {
        if (request.ids() == null) {
            return Uni.createFrom().item(HeldResults.of(List.copyOf(done.values()), result));
        }
        List<UUID> others = request.ids().stream().filter(id -> !done.containsKey(id)).distinct().toList();
        Uni<Map<UUID, LeadStatus>> statuses = others.isEmpty() ? Uni.createFrom().item(Map.of())
                : Sql.rows("SELECT id, status FROM lead WHERE id IN (:ids)", Map.of("ids", others)).map(rows -> {
                    Map<UUID, LeadStatus> byId = new HashMap<>();
                    rows.forEach(row -> byId.put((UUID) row[0], LeadStatus.valueOf((String) row[1])));
                    return byId;
                });
        return statuses.map(byId -> {
            List<HeldResults.Item> items = new ArrayList<>(request.ids().size());
            for (UUID id : request.ids().stream().distinct().toList()) {
                HeldResults.Item item = done.get(id);
                items.add(item != null ? item : byId.containsKey(id) ? new HeldResults.Item(id, "NOT_HELD", byId.get(id))
                        : new HeldResults.Item(id, "NOT_FOUND", null));
            }
            return HeldResults.of(items, result);
        });
    }

    /**
     * Pauses an active rep: its open offers are cancelled and requeued (no miss counted), nothing is offered to it and
     * it cannot pull until resumed; its assigned leads stay. Pausing a paused rep changes nothing.
     */
    public Uni<RepView> pause(String repId, String reason, By by) {
        return events.inTransaction(batch -> Sql.rows(PAUSE, Map.of("id", repId, "by", by.name(), "reason", reason))
                .chain(rows -> rows.isEmpty() ? unchanged(repId, true)
                        : offers.cancelOpenOffersOf(repId, batch).invoke(cancelled -> batch.rep(EventType.REP_PAUSED, repId,
                                (String) rows.get(0)[0], data("by", by.name(), "byId", by.id(), "reason", reason,
                                        "cancelledOffers", cancelled))).replaceWithVoid()))
                .chain(() -> reps.get(repId));
    }

    /** Resumes a paused rep: offers and pulls again. Resuming a rep that is not paused changes nothing. */
    public Uni<RepView> resume(String repId, By by) {
        return events.inTransaction(batch -> Sql.rows(RESUME, Map.of("id", repId)).chain(rows -> {
            if (rows.isEmpty()) {
                return unchanged(repId, false);
            }
            batch.rep(EventType.REP_RESUMED, repId, (String) rows.get(0)[0], data("by", by.name(), "byId", by.id()));
            return Uni.createFrom().voidItem();
        })).chain(() -> reps.get(repId));
    }

    /** Why a pause or resume wrote nothing: no such rep (404), a deactivated rep paused (409), or nothing to change. */
    private static Uni<Void> unchanged(String repId, boolean pausing) {
        return Sql.rows("SELECT active, paused_at IS NOT NULL FROM rep WHERE id = :id", Map.of("id", repId)).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().failure(DomainException.notFound("Rep", repId));
            }
            if (pausing && !(Boolean) rows.get(0)[0]) {
                return Uni.createFrom().failure(DomainException.conflict("REP_INACTIVE", "Rep " + repId + " is deactivated"));
            }
            return Uni.createFrom().voidItem();
        });
    }
}
