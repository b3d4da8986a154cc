package io.leadrouter.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.ApiException;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventService;
import io.leadrouter.event.RoutingEvent;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RoutingRoster;
import io.leadrouter.routing.CandidateTrace;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.Ranking;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.RoutedBecause;
import io.leadrouter.routing.RoutingEngine;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.leadrouter.offer.Offer;
import io.leadrouter.offer.OfferState;
import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.DecisionTrace;

/**
 * The transactions that move a lead between QUEUED, OFFERED and ASSIGNED. Each claim is one guarded
 * statement: the lead row is locked with SKIP LOCKED, the rep's load only grows while it stays
 * within max_load, and every accept, decline and expiry is fenced by the offer's attempt number.
 */
@ApplicationScoped
public class OfferService {

    private static final String LOCK_QUEUED_LEAD = "SELECT * FROM lead WHERE id = :id AND status = 'QUEUED' FOR UPDATE SKIP LOCKED";

    private static final String RESERVE = """
            UPDATE rep SET active_load = active_load + :points, updated_at = now()
            WHERE id = :rep AND active AND presence = 'AVAILABLE' AND presence_lapses_at IS NULL
              AND active_load + :points <= max_load
            """;

    private static final String INSERT_OFFER = """
            INSERT INTO offer (id, lead_id, rep_id, attempt, load_points, state, expires_at)
            VALUES (:id, :lead, :rep, :attempt, :points, 'OPEN', now() + make_interval(secs => :timeout))
            RETURNING *
            """;

    private static final String RELEASE = "UPDATE rep SET active_load = active_load - :points WHERE id = :rep";

    private static final String NO_MATCH = """
            INSERT INTO decision (lead_id, attempt, kind, mode, policy_version, trace)
            VALUES (:lead, :attempt, 'NO_MATCH', :mode, :policy, cast(cast(:trace AS text) AS jsonb))
            ON CONFLICT DO NOTHING
            """;

    /** The hold reason of a lead nobody qualifies for, even after the fallback chain. */
    public static final String HOLD_NO_QUALIFIED_REP = "NO_QUALIFIED_REP";

    /** Accept: the offer must be open, this rep's and not past its deadline; the lead must still be at that attempt. */
    private static final String ACCEPT = """
            WITH o AS (
                UPDATE offer SET state = 'ACCEPTED', resolved_at = now()
                WHERE id = :offer AND rep_id = :rep AND state = 'OPEN' AND expires_at > now()
                RETURNING lead_id, attempt
            ), l AS (
                UPDATE lead SET status = 'ASSIGNED', owner_rep_id = :rep, assigned_at = now(), updated_at = now()
                FROM o WHERE lead.id = o.lead_id AND lead.status = 'OFFERED' AND lead.attempts = o.attempt
                RETURNING lead.id
            ), r AS (
                UPDATE rep SET last_assigned_at = now() FROM l WHERE rep.id = :rep
                RETURNING rep.id
            )
            SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM l), (SELECT count(*) FROM r)
            """;

    /**
     * Shared by decline, expiry and cancel: the lead goes back to the queue (or is held), the rep's
     * load is freed. A lead whose lapsed and declined offers reach the team's escalation threshold
     * escalates once, here, before any re-offer: priority boost and relaxed criteria.
     */
    private static final String RESOLVE = """
            WITH o AS (
                UPDATE offer SET state = :state, resolved_at = now(), decline_reason = :reason
                FROM (SELECT id FROM offer WHERE state = 'OPEN' AND %s
                      ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED) due
                WHERE offer.id = due.id
                RETURNING offer.id, offer.lead_id, offer.rep_id, offer.attempt, offer.load_points
            ), h AS (
                SELECT o.id AS offer_id, m.held,
                       NOT m.held AND :state <> 'CANCELLED' AND x.escalated_at IS NULL
                           AND cast(p.t ->> 'escalateAfterAttempts' AS integer) > 0
                           AND cardinality(x.declined_by) + cardinality(x.missed_by) + 1
                               >= cast(p.t ->> 'escalateAfterAttempts' AS integer) AS escalates,
                       cast(p.t ->> 'escalationBoost' AS integer) AS boost,
                       ARRAY(SELECT jsonb_array_elements_text(p.t -> 'escalationRelax')) AS relax
                FROM o JOIN lead x ON x.id = o.lead_id,
                     LATERAL (SELECT coalesce(j -> x.team, j -> '*') AS t
                              FROM (SELECT cast(cast(:settings AS text) AS jsonb) AS j) s) p,
                     LATERAL (SELECT :state <> 'CANCELLED' AND o.attempt >= cast(p.t ->> 'maxAttempts' AS integer) AS held) m
            ), l AS (
                UPDATE lead SET
                    status = CASE WHEN h.held THEN 'HELD' ELSE 'QUEUED' END,
                    hold_reason = CASE WHEN h.held THEN 'MAX_ATTEMPTS' END,
                    held_at = CASE WHEN h.held THEN now() END,
                    declined_by = CASE WHEN :state = 'DECLINED' THEN array_append(lead.declined_by, o.rep_id) ELSE lead.declined_by END,
                    missed_by = CASE WHEN :state = 'EXPIRED' THEN array_append(lead.missed_by, o.rep_id) ELSE lead.missed_by END,
                    escalated_at = CASE WHEN h.escalates THEN now() ELSE lead.escalated_at END,
                    base_priority = lead.base_priority + CASE WHEN h.escalates THEN h.boost ELSE 0 END,
                    priority = least(100, lead.priority + CASE WHEN h.escalates THEN h.boost ELSE 0 END),
                    relaxed = CASE WHEN h.escalates THEN ARRAY(SELECT DISTINCT c FROM unnest(lead.relaxed || h.relax) c ORDER BY c)
                              ELSE lead.relaxed END,
                    updated_at = now()
                FROM o JOIN h ON h.offer_id = o.id
                WHERE lead.id = o.lead_id AND lead.status = 'OFFERED' AND lead.attempts = o.attempt
                RETURNING lead.id, lead.team, lead.status, h.escalates
            ), r AS (
                UPDATE rep SET active_load = rep.active_load - s.points,
                    presence = CASE WHEN :away AND rep.presence = 'AVAILABLE' THEN 'AWAY' ELSE rep.presence END,
                    updated_at = now()
                FROM (SELECT rep_id, sum(load_points) AS points FROM o GROUP BY rep_id) s, rep before
                WHERE rep.id = s.rep_id AND before.id = rep.id
                RETURNING rep.id, rep.presence = 'AWAY' AND before.presence <> 'AWAY' AS went_away
            )
            SELECT o.id, o.rep_id, o.lead_id, l.team, l.status, coalesce(r.went_away, false), coalesce(l.escalates, false)
            FROM o LEFT JOIN l ON l.id = o.lead_id LEFT JOIN r ON r.id = o.rep_id
            """;

    /**
     * Pull: the best queued lead this rep may take, locked so no other claimer gets it. Mirrors
     * RoutingEngine's lead-side constraints. The team is also given as a constant: only then does
     * the planner walk the lead_queue index in order instead of sorting the whole queue.
     */
    private static final String BEST_LEAD_FOR_REP = """
            SELECT l.* FROM lead l, rep r
            WHERE r.id = :rep AND l.status = 'QUEUED' AND l.team = :team AND l.team = r.team
              AND l.load_points <= r.max_load - r.active_load
              AND NOT (r.id = ANY (l.declined_by)) AND NOT (r.id = ANY (l.missed_by))
              AND ('SKILLS' = ANY (l.relaxed) OR NOT EXISTS (SELECT 1 FROM jsonb_each_text(l.required_skills) s
                   WHERE coalesce(cast(r.skills ->> s.key AS integer), 0) < cast(s.value AS integer)))
              AND (l.language IS NULL OR NOT :requireLanguage OR 'LANGUAGE' = ANY (l.relaxed)
                   OR cardinality(r.languages) = 0 OR l.language = ANY (r.languages))
              AND (l.country IS NULL OR NOT :requireTerritory OR 'TERRITORY' = ANY (l.relaxed)
                   OR cardinality(r.territories) = 0 OR l.country = ANY (r.territories)
                   OR (l.region IS NOT NULL AND upper(l.country || '-' || l.region) = ANY (r.territories))
                   OR (l.postal_code IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(r.territories) t
                       WHERE strpos(t, ':') > 0 AND split_part(t, ':', 1) = l.country
                         AND starts_with(upper(replace(l.postal_code, ' ', '')), split_part(t, ':', 2)))))
              AND (cardinality(l.tiers) = 0 OR 'TIER' = ANY (l.relaxed) OR r.tier = ANY (l.tiers))
            ORDER BY l.priority DESC, l.created_at, l.id
            LIMIT 1
            FOR UPDATE OF l SKIP LOCKED
            """;

    private final RoutingEngine engine;
    private final ModeService modes;
    private final PolicyService policies;
    private final RoutingRoster roster;
    private final EventService events;
    private final LeadRouterConfig config;
    private final ObjectMapper mapper;

    public OfferService(RoutingEngine engine, ModeService modes, PolicyService policies, RoutingRoster roster,
            EventService events, LeadRouterConfig config, ObjectMapper mapper) {
        this.engine = engine;
        this.modes = modes;
        this.policies = policies;
        this.roster = roster;
        this.events = events;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * Offers a queued lead to the best eligible rep of its team, if the team is in PUSH mode; puts
     * it in the holding pool when nobody qualifies even after the policy's fallback chain.
     */
    @WithTransaction
    public Uni<OfferOutcome> offerLead(UUID leadId) {
        return Sql.list(LOCK_QUEUED_LEAD, Lead.class, Map.of("id", leadId)).chain(locked -> {
            if (locked.isEmpty()) {
                return Uni.createFrom().item(OfferOutcome.NOT_QUEUED);
            }
            Lead lead = locked.get(0);
            Mode mode = modes.modeOf(lead.team);
            if (mode == Mode.PULL) {
                return Uni.createFrom().item(OfferOutcome.noMatch(true));
            }
            return policies.current().chain(policy -> {
                TeamPolicy team = policy.forTeam(lead.team);
                return roster.team(lead.team, team.fairnessWeekly()).chain(reps -> {
                    Ranking ranking = engine.rank(lead.facts(), reps, team.routing(), Instant.now());
                    lead.relaxed = ranking.relaxed().stream().map(Criterion::name).toArray(String[]::new);
                    DecisionTrace trace = new DecisionTrace(ranking.candidates(), ranking.relaxed(), null);
                    if (ranking.nobodyQualifies()) {
                        return hold(lead, HOLD_NO_QUALIFIED_REP, trace, mode, policy.version())
                                .replaceWith(OfferOutcome.noMatch(false));
                    }
                    Map<String, RepFacts> byId = new HashMap<>();
                    reps.forEach(r -> byId.put(r.id(), r));
                    return reserveFirst(ranking.ranked(), 0, lead.loadPoints, byId).chain(repId -> repId == null
                            ? recordNoMatch(lead, trace, mode, policy.version())
                                    .replaceWith(OfferOutcome.noMatch(!ranking.anyFreeCapacity()))
                            : makeOffer(lead, repId, trace, mode, policy.version(), team));
                });
            });
        });
    }

    /**
     * Reserves capacity with the first rep in rank order that still has it. The guarded UPDATE
     * locks the rep's row, so its period usage read next is exact: a rep whose cap was reached by a
     * concurrent decision is released again and skipped.
     */
    private Uni<String> reserveFirst(List<String> ranked, int index, int points, Map<String, RepFacts> reps) {
        if (index == ranked.size()) {
            return Uni.createFrom().nullItem();
        }
        String repId = ranked.get(index);
        Uni<String> next = Uni.createFrom().deferred(() -> reserveFirst(ranked, index + 1, points, reps));
        return Sql.update(RESERVE, Map.of("rep", repId, "points", points)).chain(updated -> {
            if (updated != 1) {
                return next;
            }
            RepFacts.Caps caps = reps.get(repId).caps();
            if (caps.equals(RepFacts.Caps.NONE)) {
                return Uni.createFrom().item(repId);
            }
            return roster.usage(repId).chain(usage -> RoutingEngine.capReached(caps, usage) == null
                    ? Uni.createFrom().item(repId)
                    : Sql.update(RELEASE, Map.of("rep", repId, "points", points)).chain(() -> next));
        });
    }

    private Uni<OfferOutcome> makeOffer(Lead lead, String repId, DecisionTrace trace, Mode mode, int policyVersion,
            TeamPolicy team) {
        lead.status = LeadStatus.OFFERED;
        lead.attempts += 1;
        lead.updatedAt = Timestamps.now();
        UUID offerId = UUID.randomUUID();
        return Sql.list(INSERT_OFFER, Offer.class, Map.of("id", offerId, "lead", lead.id, "rep", repId,
                "attempt", lead.attempts, "points", lead.loadPoints,
                "timeout", seconds(team.offerTimeout())))
                .chain(offers -> Decision.of(lead.id, lead.attempts, DecisionKind.OFFER, mode, repId, offerId,
                        policyVersion, trace, Timestamps.now()).persist()
                        .replaceWith(new OfferOutcome(offers.get(0), LeadView.of(lead), false, RoutedBecause.of(trace, repId))));
    }

    private Uni<Void> recordNoMatch(Lead lead, DecisionTrace trace, Mode mode, int policyVersion) {
        return Sql.update(NO_MATCH, Map.of("lead", lead.id, "attempt", lead.attempts + 1, "mode", mode.name(),
                "policy", policyVersion, "trace", json(trace))).replaceWithVoid();
    }

    /** Puts the lead in the holding pool with a reason, a HELD decision and an event for managers. */
    private Uni<Void> hold(Lead lead, String reason, DecisionTrace trace, Mode mode, int policyVersion) {
        Instant now = Timestamps.now();
        lead.status = LeadStatus.HELD;
        lead.holdReason = reason;
        lead.heldAt = now;
        lead.updatedAt = now;
        return Decision.of(lead.id, lead.attempts, DecisionKind.HELD, mode, null, null, policyVersion,
                new DecisionTrace(trace.candidates(), trace.relaxed(), reason), now).persist()
                .chain(() -> events.record(RoutingEvent.Kind.HELD, lead.id, lead.team, null, reason));
    }

    /** Assigns the offer's lead to the rep, or says precisely why not (OFFER_NOT_FOUND, NOT_YOURS, OFFER_EXPIRED). */
    @WithTransaction
    public Uni<Acceptance> accept(String repId, UUID offerId) {
        return Sql.rows(ACCEPT, Map.of("offer", offerId, "rep", repId)).chain(rows -> {
            Object[] counts = rows.get(0);
            long offers = ((Number) counts[0]).longValue();
            long leads = ((Number) counts[1]).longValue();
            if (offers == 1 && leads == 1) {
                return Offer.<Offer> findById(offerId).chain(offer -> Lead.<Lead> findById(offer.leadId)
                        .map(lead -> Acceptance.of(offer, lead, false)));
            }
            if (offers == 1) {
                // an open offer whose lead moved on would break the fence; refuse rather than assign
                return Uni.createFrom().failure(new IllegalStateException("Offer " + offerId + " is open but its lead is not at its attempt"));
            }
            return Offer.<Offer> findById(offerId).chain(offer -> explainRefusal(repId, offerId, offer));
        });
    }

    private Uni<Acceptance> explainRefusal(String repId, UUID offerId, Offer offer) {
        if (offer == null) {
            return Uni.createFrom().failure(new ApiException(404, "OFFER_NOT_FOUND", "No offer " + offerId));
        }
        if (!offer.repId.equals(repId)) {
            return Uni.createFrom().failure(new ApiException(403, "NOT_YOURS", "Offer " + offerId + " was made to another rep"));
        }
        if (offer.state == OfferState.ACCEPTED) {
            // a second tab accepting the same offer: at-least-once delivery makes accept idempotent
            return Lead.<Lead> findById(offer.leadId).map(lead -> Acceptance.of(offer, lead, true));
        }
        String why = offer.state != OfferState.OPEN ? "is no longer open (" + offer.state + ")"
                : offer.expiresAt.isAfter(Instant.now()) ? "is being resolved by another request"
                : "passed its deadline";
        return Uni.createFrom().failure(new ApiException(409, "OFFER_EXPIRED", "Offer " + offerId + " " + why));
    }

    /** The rep turns the offer down: the lead is requeued (never offered to this rep again) or held. */
    @WithTransaction
    public Uni<OfferResolution> decline(String repId, UUID offerId, String reason) {
        return resolve(OfferState.DECLINED, "id = :offer AND rep_id = :rep", Map.of("offer", offerId, "rep", repId),
                reason, false, 1).chain(resolved -> resolved.isEmpty()
                        ? Offer.<Offer> findById(offerId).chain(offer -> explainRefusal(repId, offerId, offer))
                                .chain(assigned -> Uni.createFrom().<OfferResolution> failure(new ApiException(409,
                                        "OFFER_EXPIRED", "Offer " + offerId + " was already accepted")))
                        : Uni.createFrom().item(resolved.get(0)));
    }

    /** Expires open offers past their deadline (one, or up to {@code limit} of any). */
    @WithTransaction
    public Uni<List<OfferResolution>> expireDue(UUID offerId, int limit) {
        return offerId == null
                ? resolve(OfferState.EXPIRED, "expires_at <= now()", Map.of(), null, config.awayOnMiss(), limit)
                : resolve(OfferState.EXPIRED, "expires_at <= now() AND id = :offer", Map.of("offer", offerId), null,
                        config.awayOnMiss(), 1);
    }

    /** Takes back every open offer of a deactivated rep; the leads are requeued without counting a miss. */
    @WithTransaction
    public Uni<List<OfferResolution>> cancelOpenOffersOf(String repId) {
        return resolve(OfferState.CANCELLED, "rep_id = :rep", Map.of("rep", repId), null, false, 1000);
    }

    private Uni<List<OfferResolution>> resolve(OfferState state, String which, Map<String, Object> whichParams,
            String reason, boolean setAway, int limit) {
        Map<String, Object> params = new java.util.HashMap<>(whichParams);
        params.put("state", state.name());
        params.put("reason", reason);
        params.put("limit", limit);
        params.put("away", setAway);
        return policies.current().chain(policy -> {
            params.put("settings", json(policy.sqlSettings()));
            return Sql.rows(RESOLVE.formatted(which), params).chain(rows -> {
                List<OfferResolution> resolved = new ArrayList<>(rows.size());
                Uni<Void> recorded = Uni.createFrom().voidItem();
                for (Object[] row : rows) {
                    OfferResolution resolution = new OfferResolution((UUID) row[0], state, (String) row[1], (UUID) row[2],
                            (String) row[3], row[4] == null ? null : LeadStatus.valueOf((String) row[4]), (Boolean) row[5]);
                    resolved.add(resolution);
                    recorded = recorded.chain(() -> recordEvents(resolution, (Boolean) row[6], policy));
                }
                return recorded.replaceWith(resolved);
            });
        });
    }

    private Uni<Void> recordEvents(OfferResolution resolution, boolean escalated, Policy policy) {
        if (resolution.leadStatus() == LeadStatus.HELD) {
            return events.record(RoutingEvent.Kind.HELD, resolution.leadId(), resolution.team(), resolution.repId(),
                    "MAX_ATTEMPTS: " + policy.forTeam(resolution.team()).maxAttempts() + " offers made, none accepted");
        }
        if (escalated) {
            TeamPolicy team = policy.forTeam(resolution.team());
            return events.record(RoutingEvent.Kind.ESCALATED, resolution.leadId(), resolution.team(), resolution.repId(),
                    "REPEATED_MISSES: " + team.escalateAfterAttempts() + " offers lapsed or declined; priority +"
                            + team.escalationPriorityBoost() + (team.escalationRelax().isEmpty() ? ""
                                    : ", relaxed " + team.escalationRelax()));
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * Assigns the best lead this rep may take, or null when there is none. Pulling is an explicit
     * request, so a connected rep may pull whatever its presence; capacity and the lead's
     * constraints still apply.
     */
    @WithTransaction
    public Uni<LeadView> pull(String repId) {
        return Sql.list("SELECT * FROM rep WHERE id = :id FOR UPDATE", Rep.class, Map.of("id", repId)).chain(reps -> {
            Rep rep = reps.isEmpty() ? null : reps.get(0);
            if (rep == null || !rep.active || !rep.connected()) {
                return Uni.createFrom().failure(new ApiException(409, "NOT_CONNECTED",
                        "Only a connected, active rep can pull a lead"));
            }
            if (rep.activeLoad >= rep.maxLoad) {
                return Uni.createFrom().failure(new ApiException(409, "AT_CAPACITY",
                        "Close a lead first: load " + rep.activeLoad + " of " + rep.maxLoad));
            }
            return policies.current().chain(policy -> {
                TeamPolicy team = policy.forTeam(rep.team);
                return roster.facts(rep, team.fairnessWeekly()).chain(facts -> {
                    String cap = RoutingEngine.capReached(facts.caps(), facts.usage());
                    if (cap != null) {
                        return Uni.createFrom().failure(new ApiException(409, "CAP_REACHED", "Your " + cap));
                    }
                    return Sql.list(BEST_LEAD_FOR_REP, Lead.class, Map.of("rep", repId, "team", rep.team,
                            "requireLanguage", team.routing().requireLanguage(),
                            "requireTerritory", team.routing().requireTerritory())).chain(leads -> {
                                Instant now = Instant.now();
                                Lead lead = leads.stream()
                                        .filter(l -> engine.leadExclusion(l.facts(), facts, team.routing(), now).isEmpty())
                                        .findFirst().orElse(null);
                                return lead == null ? Uni.createFrom().nullItem() : assignPulled(rep, lead, policy.version());
                            });
                });
            });
        });
    }

    private Uni<LeadView> assignPulled(Rep rep, Lead lead, int policyVersion) {
        Instant now = Timestamps.now();
        lead.status = LeadStatus.ASSIGNED;
        lead.ownerRepId = rep.id;
        lead.assignedAt = now;
        lead.updatedAt = now;
        CandidateTrace trace = new CandidateTrace(rep.id, true, null, "pulled by the rep", null, null);
        return Sql.update("""
                UPDATE rep SET active_load = active_load + :points, last_assigned_at = now(), updated_at = now()
                WHERE id = :rep AND active_load + :points <= max_load
                """, Map.of("rep", rep.id, "points", lead.loadPoints))
                .chain(updated -> updated == 1
                        ? Decision.of(lead.id, lead.attempts, DecisionKind.PULL, modes.modeOf(rep.team), rep.id, null,
                                policyVersion, new DecisionTrace(List.of(trace), lead.facts().relaxed().stream().sorted().toList(), null),
                                now).persist().replaceWith(LeadView.of(lead))
                        : Uni.createFrom().failure(new IllegalStateException("Rep " + rep.id + " lost capacity under its own lock")));
    }

    private static double seconds(java.time.Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
