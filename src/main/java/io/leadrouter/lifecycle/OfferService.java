package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.JsonRows;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.offer.Offer;
import io.leadrouter.offer.OfferState;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RepDocument;
import io.leadrouter.rep.RepSql;
import io.leadrouter.rep.RoutingRoster;
import io.leadrouter.routing.AffinityMatch;
import io.leadrouter.routing.AffinityTrace;
import io.leadrouter.routing.CandidateTrace;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.DecisionTrace;
import io.leadrouter.routing.LeadFacts;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.Presence;
import io.leadrouter.routing.Ranking;
import io.leadrouter.routing.RepFacts;
import io.leadrouter.routing.Resolution;
import io.leadrouter.routing.RoutedBecause;
import io.leadrouter.routing.RoutingEngine;
import io.leadrouter.routing.RoutingRules;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The transactions that move a lead between QUEUED, OFFERED and ASSIGNED, each with its lifecycle events. Each claim
 * is one guarded statement: the lead row is locked with SKIP LOCKED, the rep's load only grows while it stays within
 * max_load ({@link RepLoad}), and every accept, decline and expiry is fenced by the offer's attempt number.
 */
@ApplicationScoped
public class OfferService {

    private static final Sql.Direct LOCK_QUEUED_LEAD = Sql.Direct.of(
            "SELECT cast(to_jsonb(l) AS text) FROM lead l WHERE id = :id AND status = 'QUEUED' FOR UPDATE SKIP LOCKED");

    /**
     * The lead offered, its offer, decision and {@code lead.offered} event in one statement: the hot path of every push
     * pays one round trip for the four (the lead, locked and read out of the session, is written by SQL only).
     */
    private static final Sql.Direct MAKE_OFFER = Sql.Direct.of("""
            WITH l AS (
                UPDATE lead SET status = 'OFFERED', attempts = :attempt, relaxed = string_to_array(:relaxed, ','), updated_at = :now
                WHERE id = :lead AND status = 'QUEUED' AND attempts = :attempt - 1
                RETURNING id
            ), o AS (
                INSERT INTO offer (id, lead_id, rep_id, attempt, load_points, state, expires_at)
                SELECT :id, l.id, :rep, :attempt, :points, 'OPEN', now() + make_interval(secs => :timeout) FROM l
                RETURNING id, lead_id, rep_id, attempt, expires_at, created_at
            ), d AS (
                INSERT INTO decision (lead_id, attempt, kind, mode, chosen_rep_id, offer_id, policy_version, trace)
                SELECT o.lead_id, o.attempt, 'OFFER', :mode, o.rep_id, o.id, :policy, cast(cast(:trace AS text) AS jsonb) FROM o
            ), e AS (
                INSERT INTO lifecycle_event (type, lead_id, rep_id, team, policy_version, data)
                SELECT 'lead.offered', o.lead_id, o.rep_id, :team, :policy, jsonb_build_object('offerId', o.id,
                       'attempt', o.attempt, 'expiresAt', to_char(o.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                       'mode', cast(:mode AS text))
                FROM o
                RETURNING id, cast(tx AS text), occurred_at
            )
            SELECT o.expires_at, o.created_at, e.* FROM o, e
            """);

    /** A held lead: nobody qualifies for it, even after the fallback chain it relaxed. */
    private static final String HOLD = """
            UPDATE lead SET status = 'HELD', hold_reason = :reason, held_at = :now, updated_at = :now,
                            relaxed = string_to_array(:relaxed, ',')
            WHERE id = :lead AND status = 'QUEUED'
            """;

    /** The criteria the fallback chain relaxed for a lead that stays queued, which pulls honour too. */
    private static final String KEEP_RELAXED = """
            UPDATE lead SET relaxed = string_to_array(:relaxed, ',') WHERE id = :lead AND status = 'QUEUED'
            """;

    private static final String NO_MATCH = """
            INSERT INTO decision (lead_id, attempt, kind, mode, policy_version, trace)
            VALUES (:lead, :attempt, 'NO_MATCH', :mode, :policy, cast(cast(:trace AS text) AS jsonb))
            ON CONFLICT DO NOTHING
            """;

    /** The hold reason of a lead nobody qualifies for, even after the fallback chain. */
    public static final String HOLD_NO_QUALIFIED_REP = "NO_QUALIFIED_REP";
    /** Why a queued lead cannot be offered at all: its team has no active rep; someone has to staff it or move the lead. */
    public static final String NO_REPS_IN_TEAM = "NO_REPS_IN_TEAM";
    /** The hold reason of a lead whose last allowed offer was declined or lapsed. */
    public static final String HOLD_MAX_ATTEMPTS = "MAX_ATTEMPTS";

    /**
     * Accept, in one statement that commits alone: the offer must be open, this rep's and not past its deadline, and
     * the rep's token current; the lead must still be at that attempt. Both rows are locked (offer before lead, the
     * order every claim locks them in) with those conditions re-checked under the locks, so the offer is accepted only
     * together with its lead's assignment and the {@code lead.assigned} event. No row when it was refused.
     */
    private static final Sql.Direct ACCEPT = Sql.Direct.of("""
            WITH x AS (
                SELECT o.id, o.lead_id FROM offer o JOIN lead l ON l.id = o.lead_id
                WHERE o.id = :offer AND o.rep_id = :rep AND o.state = 'OPEN' AND o.expires_at > now() AND %s
                  AND l.status = 'OFFERED' AND l.attempts = o.attempt
                FOR UPDATE OF o, l
            ), o AS (
                UPDATE offer SET state = 'ACCEPTED', resolved_at = now() FROM x WHERE offer.id = x.id
                RETURNING offer.id, offer.attempt, offer.created_at, offer.resolved_at
            ), l AS (
                UPDATE lead SET status = 'ASSIGNED', owner_rep_id = :rep, assigned_at = now(), updated_at = now()
                FROM x WHERE lead.id = x.lead_id
                RETURNING lead.*
            ), r AS (
                UPDATE rep SET last_assigned_at = now() FROM l WHERE rep.id = :rep
                RETURNING rep.id
            ), e AS (
                INSERT INTO lifecycle_event (type, lead_id, rep_id, team, policy_version, data)
                SELECT 'lead.assigned', l.id, :rep, l.team, l.policy_version, jsonb_build_object('via', 'offer',
                       'offerId', o.id, 'attempt', o.attempt,
                       'offeredAt', to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                FROM l, o
                RETURNING id AS event_id, cast(tx AS text) AS event_tx, occurred_at AS event_at
            )
            SELECT cast(to_jsonb(l) AS text), e.*, o.attempt AS offer_attempt, o.created_at AS offered_at,
                   o.resolved_at AS accepted_at
            FROM l, o, e
            """.formatted(ActingRep.TOKEN_CURRENT));

    /**
     * Decline, expiry and cancel lock the open offers they end with their leads (offer before lead, the order every
     * claim locks them in); {@code %s} picks the offers. Where the leads go is {@link Resolution}'s to say.
     */
    private static final String LOCK_ENDING_OFFERS = """
            SELECT o.id, o.rep_id, o.attempt, o.load_points, l.status, %s
            FROM offer o JOIN lead l ON l.id = o.lead_id
            WHERE o.state = 'OPEN' AND %%s
            ORDER BY o.expires_at
            LIMIT :limit
            FOR UPDATE OF o, l SKIP LOCKED
            """.formatted(LeadUpdate.STATE_COLUMNS);

    private static final String END_OFFERS = """
            UPDATE offer SET state = :state, resolved_at = now(), decline_reason = :reason WHERE id IN (:ids)
            """;

    /** A missed offer sets an AVAILABLE rep AWAY (away-on-miss), so offers stop going to someone who left. */
    private static final String AWAY_ON_MISS = """
            UPDATE rep SET presence = 'AWAY', updated_at = now() WHERE id IN (:reps) AND presence = 'AVAILABLE'
            RETURNING id, team
            """;

    /**
     * Pull: the best queued lead this rep may take in each of its teams, in the rep's team order, each locked so no other
     * claimer gets it; the first that the engine agrees with is taken. Mirrors RoutingEngine's lead-side constraints with
     * each team's own language and territory settings. Each team's lateral scan walks the lead_queue index in order
     * (the team is a constant of the scan), and stops at its first lead it may take. Each lead comes as JSON text.
     * The rep's own conditions come first: a scan for a rep with no headroom left (another of its pulls reserved the
     * last since it was read) would walk the whole queue to find no lead, 139 ms with 100,000 queued, and these scans
     * slowed every statement during a batch intake.
     */
    private static final Sql.Direct BEST_LEAD_FOR_REP = Sql.Direct.of("""
            SELECT cast(to_jsonb(l) AS text)
            FROM rep r
            CROSS JOIN unnest(string_to_array(:teams, ','), cast(string_to_array(:requireLanguage, ',') AS boolean[]),
                              cast(string_to_array(:requireTerritory, ',') AS boolean[]))
                       WITH ORDINALITY AS tm(team, require_language, require_territory, position)
            CROSS JOIN LATERAL (
                SELECT l.* FROM lead l
                WHERE l.status = 'QUEUED' AND l.team = tm.team
                  AND l.load_points <= r.max_load - r.active_load
                  AND NOT (r.id = ANY (l.declined_by)) AND NOT (r.id = ANY (l.missed_by))
                  AND ('SKILLS' = ANY (l.relaxed) OR NOT EXISTS (SELECT 1 FROM jsonb_each_text(l.required_skills) s
                       WHERE coalesce(cast(r.skills ->> s.key AS integer), 0) < cast(s.value AS integer)))
                  AND (l.language IS NULL OR NOT tm.require_language OR 'LANGUAGE' = ANY (l.relaxed)
                       OR cardinality(r.languages) = 0 OR l.language = ANY (r.languages))
                  AND (l.country IS NULL OR NOT tm.require_territory OR 'TERRITORY' = ANY (l.relaxed)
                       OR cardinality(r.territories) = 0 OR l.country = ANY (r.territories)
                       OR (l.region IS NOT NULL AND upper(l.country || '-' || l.region) = ANY (r.territories))
                       OR (l.postal_code IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(r.territories) t
                           WHERE strpos(t, ':') > 0 AND split_part(t, ':', 1) = l.country
                             AND starts_with(upper(replace(l.postal_code, ' ', '')), split_part(t, ':', 2)))))
                  AND (cardinality(l.tiers) = 0 OR 'TIER' = ANY (l.relaxed) OR r.tier = ANY (l.tiers))
                ORDER BY l.priority DESC, l.created_at, l.id
                LIMIT 1
                FOR UPDATE OF l SKIP LOCKED) l
            WHERE r.id = :rep AND r.active_load < r.max_load AND tm.team = ANY (r.teams)
            ORDER BY tm.position
            """);

    private static final Sql.Direct READ_REP = Sql.Direct.of("SELECT cast(to_jsonb(r) AS text) FROM rep r WHERE id = :id");
    private static final String LOCK_REP = "SELECT id FROM rep WHERE id = :id FOR UPDATE";
    /** What a pull needs of its rep, read again when it found no lead or the reserve refused it. */
    private static final Sql.Direct PULLER_STATE = Sql.Direct.of("""
            SELECT %s, %s, paused_at IS NOT NULL, paused_reason, active_load, max_load FROM rep WHERE id = :rep
            """.formatted(RepSql.tokenCurrent("", ":epoch"), RepSql.connected("")));

    /**
     * A pulled lead's assignment in one statement: the rep's load reserved ({@link RepLoad#RESERVE}, guarded by
     * max_load, and here by what a pull needs of the rep, which a manager or a revocation may have changed since it was
     * read: re-checked on the rep's row once a concurrent change to it commits), the
     * locked queued lead assigned, its PULL decision and its {@code lead.assigned} event written; no row when the
     * reserve refused.
     */
    private static final Sql.Direct ASSIGN_PULLED = Sql.Direct.of("""
            WITH r AS (
            %s  AND %s AND paused_at IS NULL AND %s
                RETURNING rep.id
            ), l AS (
                UPDATE lead SET status = 'ASSIGNED', owner_rep_id = r.id, assigned_at = :now, updated_at = :now
                FROM r WHERE lead.id = :lead AND lead.status = 'QUEUED'
                RETURNING lead.id, lead.attempts
            ), d AS (
                INSERT INTO decision (lead_id, attempt, kind, mode, chosen_rep_id, policy_version, trace, created_at)
                SELECT l.id, l.attempts, 'PULL', :mode, :rep, :policy, cast(cast(:trace AS text) AS jsonb), :now FROM l
            ), e AS (
                INSERT INTO lifecycle_event (type, lead_id, rep_id, team, policy_version, data)
                SELECT 'lead.assigned', l.id, :rep, :team, :policy, jsonb_build_object('via', 'pull', 'attempt', l.attempts)
                FROM l
                RETURNING id, cast(tx AS text), occurred_at
            )
            SELECT * FROM e
            """.formatted(RepLoad.RESERVE, RepSql.tokenCurrent("rep", ":epoch"), RepSql.connected("")));

    private final RoutingEngine engine;
    private final ModeService modes;
    private final PolicyService policies;
    private final RoutingRoster roster;
    private final EventLog events;
    private final LeadRouterConfig config;
    private final ObjectMapper mapper;
    private final ShadowRouting shadows;
    private final OwnerAffinity affinity;
    private final JsonRows stored;

    public OfferService(RoutingEngine engine, ModeService modes, PolicyService policies, RoutingRoster roster,
            EventLog events, LeadRouterConfig config, ObjectMapper mapper, ShadowRouting shadows, OwnerAffinity affinity,
            JsonRows stored) {
        this.engine = engine;
        this.modes = modes;
        this.policies = policies;
        this.roster = roster;
        this.events = events;
        this.config = config;
        this.mapper = mapper;
        this.shadows = shadows;
        this.affinity = affinity;
        this.stored = stored;
    }

    /**
     * Offers a queued lead to the best eligible rep of its team, if the team is in PUSH mode; puts
     * it in the holding pool when nobody qualifies even after the policy's fallback chain.
     */
    public Uni<OfferOutcome> offerLead(UUID leadId) {
        return events.inTransaction(batch -> Sql.direct(LOCK_QUEUED_LEAD, Map.of("id", leadId)).chain(locked -> {
            if (locked.isEmpty()) {
                return Uni.createFrom().item(OfferOutcome.NOT_QUEUED);
            }
            Lead lead = stored.read(locked.get(0)[0], Lead.class);
            Mode mode = modes.modeOf(lead.team);
            if (mode == Mode.PULL) {
                return Uni.createFrom().item(OfferOutcome.noMatch(true));
            }
            return policies.current().chain(policy -> {
                TeamPolicy team = policy.forTeam(lead.team);
                Instant now = Instant.now();
                return affinity.of(lead, team.affinity()).chain(match -> roster.team(lead.team, team.fairnessWeekly()).chain(reps -> {
                    LeadFacts facts = lead.facts().withAffinity(match);
                    return shadows.route(facts, reps, now).chain(shadow -> offer(lead, facts, reps, shadow, mode, policy, team, now,
                            batch));
                }));
            });
        }));
    }

    /** The live decision for a locked queued lead, with the shadow's beside it when one is published. */
    private Uni<OfferOutcome> offer(Lead lead, LeadFacts facts, List<RepFacts> reps, ShadowRouting.Route shadow, Mode mode,
            Policy policy, TeamPolicy team, Instant now, EventBatch batch) {
        Ranking ranking = engine.rank(facts, reps, team.routing(), now);
        String[] relaxed = ranking.relaxed().stream().map(Criterion::name).toArray(String[]::new);
        Uni<Void> keepRelaxed = Arrays.equals(relaxed, lead.relaxed) ? Uni.createFrom().voidItem()
                : Sql.update(KEEP_RELAXED, Map.of("lead", lead.id, "relaxed", String.join(",", relaxed))).replaceWithVoid();
        lead.relaxed = relaxed;
        DecisionTrace trace = ranking.trace();
        if (reps.isEmpty()) {
            return keepRelaxed.chain(() -> unrouted(lead, trace, mode, policy.version(), batch)).replaceWith(OfferOutcome.noMatch(true));
        }
        if (ranking.nobodyQualifies()) {
            return hold(lead, trace, mode, policy.version(), batch, HOLD_NO_QUALIFIED_REP, HOLD_NO_QUALIFIED_REP)
                    .call(() -> shadows.record(shadow, lead, lead.attempts, DecisionKind.HELD, null, policy.version()))
                    .replaceWith(OfferOutcome.noMatch(false));
        }
        Map<String, RepFacts> byId = new HashMap<>();
        reps.forEach(r -> byId.put(r.id(), r));
        return reserveFirst(ranking.ranked(), 0, lead.loadPoints, byId).chain(repId -> repId == null
                ? keepRelaxed.chain(() -> recordNoMatch(lead, trace, mode, policy.version()))
                        .call(recorded -> recorded == 0 ? Uni.createFrom().voidItem()
                                : shadows.record(shadow, lead, lead.attempts + 1, DecisionKind.NO_MATCH, null, policy.version()))
                        .replaceWith(OfferOutcome.noMatch(!ranking.anyFreeCapacity()))
                : makeOffer(lead, repId, trace, mode, policy.version(), team, batch)
                        .call(() -> shadows.record(shadow, lead, lead.attempts, DecisionKind.OFFER, repId, policy.version())));
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
        return RepLoad.reserveForOffer(repId, points).chain(reserved -> {
            if (!reserved) {
                return next;
            }
            RepFacts.Caps caps = reps.get(repId).caps();
            if (caps.equals(RepFacts.Caps.NONE)) {
                return Uni.createFrom().item(repId);
            }
            return roster.usage(repId).chain(usage -> RoutingEngine.capReached(caps, usage) == null
                    ? Uni.createFrom().item(repId)
                    : RepLoad.release(List.of(new RepLoad.Release(repId, points)), mapper).chain(() -> next));
        });
    }

    private Uni<OfferOutcome> makeOffer(Lead lead, String repId, DecisionTrace trace, Mode mode, int policyVersion,
            TeamPolicy team, EventBatch batch) {
        lead.status = LeadStatus.OFFERED;
        lead.attempts += 1;
        lead.updatedAt = Timestamps.now();
        Offer offer = new Offer();
        offer.id = UUID.randomUUID();
        offer.leadId = lead.id;
        offer.repId = repId;
        offer.attempt = lead.attempts;
        offer.loadPoints = lead.loadPoints;
        offer.state = OfferState.OPEN;
        Map<String, Object> params = new HashMap<>();
        params.put("id", offer.id);
        params.put("lead", lead.id);
        params.put("rep", repId);
        params.put("attempt", offer.attempt);
        params.put("points", offer.loadPoints);
        params.put("timeout", team.offerTimeout().toMillis() / 1000.0);
        params.put("mode", mode.name());
        params.put("policy", policyVersion);
        params.put("trace", json(trace));
        params.put("team", lead.team);
        params.put("relaxed", String.join(",", lead.relaxed));
        params.put("now", lead.updatedAt);
        return Sql.direct(MAKE_OFFER, params).map(rows -> {
            if (rows.isEmpty()) {
                // the lead is locked by this transaction since it was read QUEUED at this attempt
                throw new IllegalStateException("Lead " + lead.id + " left the queue under its lock");
            }
            Object[] row = rows.get(0);
            offer.expiresAt = Timestamps.of(row[0]);
            offer.createdAt = Timestamps.of(row[1]);
            OfferOutcome outcome = new OfferOutcome(offer, LeadView.of(lead), false, RoutedBecause.of(trace, repId));
            batch.written(((Number) row[2]).longValue(), (String) row[3], Timestamps.of(row[4]), EventType.LEAD_OFFERED, lead.id,
                    lead.team, repId, policyVersion, data("offerId", offer.id, "attempt", offer.attempt, "expiresAt",
                            offer.expiresAt, "mode", mode), outcome);
            return outcome;
        });
    }

    private Uni<Integer> recordNoMatch(Lead lead, DecisionTrace trace, Mode mode, int policyVersion) {
        return Sql.update(NO_MATCH, Map.of("lead", lead.id, "attempt", lead.attempts + 1, "mode", mode.name(),
                "policy", policyVersion, "trace", json(trace)));
    }

    /**
     * The lead waits in the queue for its team to be staffed: its NO_MATCH decision says so, and the first one of each
     * attempt tells managers ({@code lead.unrouted}).
     */
    /** What the decision and the manager event of a lead in a team without an active rep say. */
    static String noRepsIn(String team) {
        return NO_REPS_IN_TEAM + ": team " + team + " has no active rep";
    }

    private Uni<Void> unrouted(Lead lead, DecisionTrace trace, Mode mode, int policyVersion, EventBatch batch) {
        String reason = noRepsIn(lead.team);
        return recordNoMatch(lead, trace.withReason(reason), mode, policyVersion)
                .invoke(recorded -> {
                    if (recorded > 0) {
                        batch.lead(EventType.LEAD_UNROUTED, lead.id, lead.team, null, policyVersion, data("reason", reason), null);
                    }
                }).replaceWithVoid();
    }

    /**
     * Puts the lead in the holding pool: nobody qualifies, even after the fallback chain, or its team has nobody.
     *
     * @param reason what the manager event and the decision say: the hold reason, and for an empty team its name
     */
    private Uni<Void> hold(Lead lead, DecisionTrace trace, Mode mode, int policyVersion, EventBatch batch, String holdReason,
            String reason) {
        Instant now = Timestamps.now();
        lead.status = LeadStatus.HELD;
        lead.holdReason = holdReason;
        lead.heldAt = now;
        lead.updatedAt = now;
        batch.lead(EventType.LEAD_HELD, lead.id, lead.team, null, policyVersion, data("holdReason", holdReason, "reason", reason),
                null);
        return Sql.update(HOLD, Map.of("lead", lead.id, "reason", holdReason, "now", now, "relaxed", String.join(",", lead.relaxed)))
                .chain(() -> Decision.of(lead.id, lead.attempts, DecisionKind.HELD, mode, null, null, policyVersion,
                trace.withReason(reason), now).persist()).replaceWithVoid();
    }

    /** Assigns the offer's lead to the rep, or says precisely why not (OFFER_NOT_FOUND, NOT_YOURS, OFFER_EXPIRED). */
    public Uni<Acceptance> accept(ActingRep acting, UUID offerId) {
        return events.inOneStatement(batch -> acceptOpen(acting, offerId, batch)).chain(accepted -> accepted != null
                ? Uni.createFrom().item(accepted)
                : Panache.withSession(() -> acting.requireCurrent().chain(() -> Offer.<Offer> findById(offerId))
                        .chain(offer -> explainRefusal(acting.id(), offerId, offer))));
    }

    /** {@link #ACCEPT}: the acceptance, or null when the offer was not open for this rep at its lead's attempt. */
    private Uni<Acceptance> acceptOpen(ActingRep acting, UUID offerId, EventBatch batch) {
        return Sql.direct(ACCEPT, Map.of("offer", offerId, "rep", acting.id(), "epoch", acting.tokenEpoch()))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return null;
                    }
                    Object[] row = rows.get(0);
                    Lead lead = stored.read(row[0], Lead.class);
                    int attempt = ((Number) row[4]).intValue();
                    Instant offeredAt = Timestamps.of(row[5]);
                    Acceptance acceptance = new Acceptance(LeadView.of(lead), false, Duration.between(offeredAt, Timestamps.of(row[6])));
                    batch.written(((Number) row[1]).longValue(), (String) row[2], Timestamps.of(row[3]), EventType.LEAD_ASSIGNED,
                            lead.id, lead.team, acting.id(), lead.policyVersion, data("via", "offer", "offerId", offerId,
                                    "attempt", attempt, "offeredAt", offeredAt), acceptance);
                    return acceptance;
                });
    }

    private Uni<Acceptance> explainRefusal(String repId, UUID offerId, Offer offer) {
        if (offer == null) {
            return Uni.createFrom().failure(new DomainException(DomainException.Kind.NOT_FOUND, "OFFER_NOT_FOUND", "No offer " + offerId));
        }
        if (!offer.repId.equals(repId)) {
            return Uni.createFrom().failure(DomainException.forbidden("NOT_YOURS", "Offer " + offerId + " was made to another rep"));
        }
        if (offer.state == OfferState.ACCEPTED) {
            // a second tab accepting the same offer: at-least-once delivery makes accept idempotent
            return Lead.<Lead> findById(offer.leadId).map(lead -> Acceptance.of(offer, lead, true));
        }
        String why = offer.state != OfferState.OPEN ? "is no longer open (" + offer.state + ")"
                : offer.expiresAt.isAfter(Instant.now()) ? "is being resolved by another request"
                : "passed its deadline";
        return Uni.createFrom().failure(DomainException.conflict("OFFER_EXPIRED", "Offer " + offerId + " " + why));
    }

    /** The rep turns the offer down: the lead is requeued (never offered to this rep again) or held. */
    public Uni<Void> decline(ActingRep acting, UUID offerId, String reason) {
        String repId = acting.id();
        return events.inTransaction(batch -> end(OfferState.DECLINED, "o.id = :offer AND o.rep_id = :rep AND " + ActingRep.TOKEN_CURRENT,
                Map.of("offer", offerId, "rep", repId, "epoch", acting.tokenEpoch()), reason, 1, batch).chain(ended -> ended == 0
                        ? acting.requireCurrent().chain(() -> Offer.<Offer> findById(offerId)).chain(offer -> explainRefusal(repId, offerId, offer))
                                .chain(assigned -> Uni.createFrom().<Void> failure(DomainException.conflict(
                                        "OFFER_EXPIRED", "Offer " + offerId + " was already accepted")))
                        : Uni.createFrom().voidItem()));
    }

    /** Expires open offers past their deadline (one, or up to {@code limit} of any); returns how many. */
    public Uni<Integer> expireDue(UUID offerId, int limit) {
        return events.inTransaction(batch -> offerId == null
                ? end(OfferState.EXPIRED, "o.expires_at <= now()", Map.of(), null, limit, batch)
                : end(OfferState.EXPIRED, "o.expires_at <= now() AND o.id = :offer", Map.of("offer", offerId), null, 1, batch));
    }

    /** Takes back every open offer of a deactivated rep, in the caller's transaction; the leads are requeued, no miss counted. */
    Uni<Integer> cancelOpenOffersOf(String repId, EventBatch batch) {
        return end(OfferState.CANCELLED, "o.rep_id = :rep", Map.of("rep", repId), null, 1000, batch);
    }

    /**
     * Ends open offers (declined, expired, cancelled): the offers are resolved, their leads moved as {@link Resolution}
     * decides, the reps' load given back, and a rep who missed an offer set AWAY when the deployment says so; returns
     * how many offers ended.
     */
    private Uni<Integer> end(OfferState state, String which, Map<String, Object> whichParams, String reason,
            int limit, EventBatch batch) {
        Map<String, Object> params = new HashMap<>(whichParams);
        params.put("limit", limit);
        Resolution.Cause cause = switch (state) {
            case DECLINED -> Resolution.Cause.DECLINED;
            case EXPIRED -> Resolution.Cause.LAPSED;
            default -> Resolution.Cause.CANCELLED;
        };
        return policies.current().chain(policy -> Sql.rows(LOCK_ENDING_OFFERS.formatted(which), params).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Ending> endings = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                endings.add(Ending.of(row, cause, policy));
            }
            Map<String, Object> endParams = new HashMap<>();
            endParams.put("state", state.name());
            endParams.put("reason", reason);
            endParams.put("ids", endings.stream().map(Ending::offerId).toList());
            List<LeadUpdate.Change> changes = endings.stream().filter(Ending::leadAtAttempt).map(e -> e.change(cause)).toList();
            return Sql.update(END_OFFERS, endParams)
                    .chain(() -> LeadUpdate.apply(changes, mapper))
                    .call(() -> RepLoad.release(endings.stream().map(e -> new RepLoad.Release(e.repId(), e.points())).toList(), mapper))
                    .call(moved -> awayOnMiss(state, endings, batch).invoke(() -> endings.forEach(ending ->
                            ending.record(state, reason, moved.contains(ending.leadId()), policy, batch))))
                    .replaceWith(endings.size());
        }));
    }

    private Uni<Void> awayOnMiss(OfferState state, List<Ending> endings, EventBatch batch) {
        if (state != OfferState.EXPIRED || !config.awayOnMiss()) {
            return Uni.createFrom().voidItem();
        }
        return Sql.rows(AWAY_ON_MISS, Map.of("reps", endings.stream().map(Ending::repId).distinct().toList()))
                .invoke(rows -> rows.forEach(row -> batch.rep(EventType.REP_STATUS_CHANGED, (String) row[0], (String) row[1],
                        data("status", Presence.AWAY, "previous", Presence.AVAILABLE, "reason", "MISSED_OFFER"))))
                .replaceWithVoid();
    }

    /** One open offer being ended, with its lead as locked and what {@link Resolution} decided for it. */
    private record Ending(UUID offerId, String repId, int attempt, int points, UUID leadId, String team, boolean leadAtAttempt,
            Resolution.Outcome outcome) {

        static Ending of(Object[] row, Resolution.Cause cause, Policy policy) {
            Resolution.Lead lead = LeadUpdate.leadOf(row, 5);
            String team = (String) row[6];
            int attempt = ((Number) row[2]).intValue();
            boolean atAttempt = LeadStatus.OFFERED.name().equals(row[4]) && lead.attempt() == attempt;
            return new Ending((UUID) row[0], (String) row[1], attempt, ((Number) row[3]).intValue(), (UUID) row[5], team,
                    atAttempt, Resolution.of(cause, lead, policy.forTeam(team).resolutionRules()));
        }

        LeadUpdate.Change change(Resolution.Cause cause) {
            return new LeadUpdate.Change(leadId, LeadStatus.OFFERED, attempt, outcome.held() ? LeadStatus.HELD : LeadStatus.QUEUED,
                    outcome.held() ? HOLD_MAX_ATTEMPTS : null, cause == Resolution.Cause.DECLINED ? repId : null,
                    cause == Resolution.Cause.LAPSED ? repId : null, outcome);
        }

        /** The events of the offer's end, then of the lead's hold, or escalation and requeue. */
        void record(OfferState state, String reason, boolean moved, Policy policy, EventBatch batch) {
            LeadStatus next = !moved ? null : outcome.held() ? LeadStatus.HELD : LeadStatus.QUEUED;
            int version = policy.version();
            if (state != OfferState.CANCELLED) {
                batch.lead(state == OfferState.DECLINED ? EventType.LEAD_DECLINED : EventType.LEAD_OFFER_EXPIRED, leadId, team,
                        repId, version, data("offerId", offerId, "attempt", attempt, "reason", reason, "next", next), null);
            }
            TeamPolicy settings = policy.forTeam(team);
            if (next == LeadStatus.HELD) {
                batch.lead(EventType.LEAD_HELD, leadId, team, repId, version, data("holdReason", HOLD_MAX_ATTEMPTS, "reason",
                        HOLD_MAX_ATTEMPTS + ": " + settings.maxAttempts() + " offers made, none accepted"), null);
            } else if (next == LeadStatus.QUEUED) {
                if (outcome.escalates()) {
                    batch.lead(EventType.LEAD_ESCALATED, leadId, team, repId, version, data("reason", LeadUpdate.repeatedMisses(settings),
                            "priority", outcome.priority()), null);
                }
                batch.lead(EventType.LEAD_REQUEUED, leadId, team, repId, version, data("cause", state == OfferState.CANCELLED
                        ? "OFFER_CANCELLED" : state == OfferState.DECLINED ? "DECLINED" : "OFFER_EXPIRED", "offerId", offerId), null);
            }
        }
    }

    /**
     * Assigns the best lead this rep may take, or null when there is none. Pulling is an explicit
     * request, so a connected rep may pull whatever its presence; capacity and the lead's
     * constraints still apply. The pull is the hot path of a swamped team: its statements run direct on the session's
     * connection ({@link Sql#direct}), the rep and the candidate leads read as JSON text outside the session, and the
     * assignment is one statement ({@link #ASSIGN_PULLED}).
     */
    public Uni<LeadView> pull(ActingRep acting) {
        String repId = acting.id();
        return events.inTransaction(batch -> readRep(repId).chain(rep -> {
            DomainException refused = acting.countsFor(rep) ? refusal(rep) : ActingRep.revoked();
            if (refused != null) {
                return Uni.createFrom().failure(refused);
            }
            // caps are checked against the period's usage, exact only under the rep's lock; without caps the guarded
            // reserve is all a pull needs, and the rep's row stays unlocked until then (its closes need it)
            RepDocument document = mapper.convertValue(rep.document, RepDocument.class);
            Uni<RepFacts.Caps> usage = document.caps() == null ? Uni.createFrom().item(RepFacts.Caps.ZERO)
                    : Sql.rows(LOCK_REP, Map.of("id", repId)).chain(() -> roster.usage(repId));
            return usage.chain(used -> policies.current().chain(policy -> {
                RepFacts facts = rep.facts(document, used, 0);
                String cap = RoutingEngine.capReached(facts.caps(), facts.usage());
                if (cap != null) {
                    return Uni.createFrom().failure(DomainException.conflict("CAP_REACHED", "Your " + cap));
                }
                List<String> teams = rep.teams();
                return Sql.direct(BEST_LEAD_FOR_REP, Map.of("rep", repId, "teams", String.join(",", teams),
                        "requireLanguage", flags(teams, policy, RoutingRules::requireLanguage),
                        "requireTerritory", flags(teams, policy, RoutingRules::requireTerritory)))
                        .map(found -> found.stream().map(row -> stored.read(row[0], Lead.class)).toList())
                        .chain(leads -> {
                            Instant now = Instant.now();
                            Lead lead = leads.stream().filter(l -> engine.leadExclusion(l.facts(), facts,
                                    policy.forTeam(l.team).routing(), now).isEmpty()).findFirst().orElse(null);
                            return lead == null ? nothingToPull(acting)
                                    : affinity.of(lead, policy.forTeam(lead.team).affinity()).chain(match ->
                                            assignPulled(acting, rep, lead, match, policy.version(), batch)).call(() -> shadows.record(
                                            shadows.pulled(lead.facts(), facts, now), lead, lead.attempts,
                                            DecisionKind.PULL, rep.id, policy.version()));
                        });
            }));
        }));
    }

    /**
     * No lead for the rep: the queue has none it may take, or the rep changed since it was read (another tab's pull
     * took its capacity, a manager paused it), which it is told instead.
     */
    private static Uni<LeadView> nothingToPull(ActingRep acting) {
        return refusalNow(acting).chain(refused -> refused == null ? Uni.createFrom().nullItem() : Uni.createFrom().failure(refused));
    }

    /** Why the rep, read again, may not pull now ({@link #PULLER_STATE}), or null when it still may. */
    private static Uni<DomainException> refusalNow(ActingRep acting) {
        return Sql.direct(PULLER_STATE, Map.of("rep", acting.id(), "epoch", acting.tokenEpoch())).map(state -> {
            if (state.isEmpty() || !(Boolean) state.get(0)[0]) {
                return ActingRep.revoked();
            }
            Object[] row = state.get(0);
            return refusal((Boolean) row[1], (Boolean) row[2], (String) row[3], ((Number) row[4]).intValue(),
                    ((Number) row[5]).intValue());
        });
    }

    private Uni<Rep> readRep(String repId) {
        return Sql.direct(READ_REP, Map.of("id", repId)).map(reps -> reps.isEmpty() ? null : stored.read(reps.get(0)[0], Rep.class));
    }

    /** Why this rep, whose token counts, may not pull now, or null when it may. */
    private static DomainException refusal(Rep rep) {
        return refusal(rep.connected(), rep.pausedAt != null, rep.pausedReason, rep.activeLoad, rep.maxLoad);
    }

    private static DomainException refusal(boolean connected, boolean paused, String pausedReason, int load, int maxLoad) {
        if (!connected) {
            return DomainException.conflict("NOT_CONNECTED", "Only a connected rep can pull a lead");
        }
        if (paused) {
            return DomainException.conflict("PAUSED", "A manager paused you: " + pausedReason);
        }
        if (load >= maxLoad) {
            return DomainException.conflict("AT_CAPACITY", "Close a lead first: load " + load + " of " + maxLoad);
        }
        return null;
    }

    /** A setting of each team's routing rules, in the teams' order, as the pull's comma-separated parameter. */
    private static String flags(List<String> teams, Policy policy, java.util.function.Predicate<RoutingRules> setting) {
        return String.join(",", teams.stream().map(t -> Boolean.toString(setting.test(policy.forTeam(t).routing()))).toList());
    }

    /**
     * Pull assigns the lead the rep asked for: owner affinity does not steer it (the rep chose, and holding a lead
     * back for its account's owner would stall a swamped team's queue), but its trace records the match and whether
     * the puller is the owner.
     */
    private Uni<LeadView> assignPulled(ActingRep acting, Rep rep, Lead lead, AffinityMatch match, int policyVersion,
            EventBatch batch) {
        Instant now = Timestamps.now();
        Mode mode = modes.modeOf(lead.team);
        CandidateTrace candidate = new CandidateTrace(rep.id, true, null, "pulled by the rep", null, null);
        DecisionTrace trace = new DecisionTrace(List.of(candidate), lead.facts().relaxed().stream().sorted().toList(), null, null,
                AffinityTrace.pulled(match, rep.id), null);
        Map<String, Object> params = new HashMap<>();
        params.put("rep", rep.id);
        params.put("epoch", acting.tokenEpoch());
        params.put("points", lead.loadPoints);
        params.put("offering", false);
        params.put("assigns", true);
        params.put("lead", lead.id);
        params.put("now", now);
        params.put("mode", mode.name());
        params.put("policy", policyVersion);
        params.put("team", lead.team);
        params.put("trace", json(trace));
        return Sql.direct(ASSIGN_PULLED, params).chain(rows -> rows.isEmpty()
                // the rep changed since it was read (paused, disconnected, or another tab's pull took the capacity)
                ? refusalNow(acting).chain(refused -> Uni.createFrom().<List<Object[]>> failure(refused != null ? refused
                        : DomainException.conflict("AT_CAPACITY", "Close a lead first: another pull took your last capacity")))
                : Uni.createFrom().item(rows)).map(rows -> {
            lead.status = LeadStatus.ASSIGNED;
            lead.ownerRepId = rep.id;
            lead.assignedAt = now;
            lead.updatedAt = now;
            LeadView view = LeadView.of(lead);
            Object[] row = rows.get(0);
            batch.written(((Number) row[0]).longValue(), (String) row[1], Timestamps.of(row[2]), EventType.LEAD_ASSIGNED, lead.id,
                    lead.team, rep.id, policyVersion, data("via", "pull", "attempt", lead.attempts), view);
            return view;
        });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
