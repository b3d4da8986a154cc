package io.leadrouter.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.common.DomainException;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lifecycle.Decision;
import io.leadrouter.lifecycle.LeadService;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RoutingRoster;
import io.leadrouter.routing.DecisionView;
import io.leadrouter.routing.RoutingEngine;
import io.leadrouter.routing.WhyNot;
import io.leadrouter.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The decision trace of a lead: who was considered for each attempt, why each was excluded or how it scored. */
@Path("/api/v1/leads/{id}/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {

    private final RoutingEngine engine;
    private final PolicyService policies;
    private final RoutingRoster roster;
    private final LeadService leads;

    public DecisionResource(RoutingEngine engine, PolicyService policies, RoutingRoster roster, LeadService leads) {
        this.engine = engine;
        this.policies = policies;
        this.roster = roster;
        this.leads = leads;
    }

    /** Every decision, oldest first; with {@code rep}, "why not this rep" ({@link WhyNot.Answer}) instead. */
    @GET
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<Object> list(@PathParam("id") UUID leadId, @QueryParam("rep") String repId) {
        return Lead.<Lead> findById(leadId).chain(lead -> {
            if (lead == null) {
                return Uni.createFrom().failure(DomainException.notFound("Lead", leadId));
            }
            Uni<List<DecisionView>> decisions = Decision.<Decision> list("leadId", Sort.by("id"), leadId)
                    .map(list -> list.stream().map(Decision::view).toList())
                    .chain(list -> leads.declines(leadId).map(declines -> LeadService.withDeclineReasons(list, declines)));
            if (repId == null) {
                return decisions.map(list -> (Object) list);
            }
            return Rep.<Rep> findById(repId).chain(rep -> {
                if (rep == null) {
                    return Uni.createFrom().failure(DomainException.notFound("Rep", repId));
                }
                return decisions.chain(list -> whyNot(lead, rep, list));
            });
        });
    }

    private Uni<Object> whyNot(Lead lead, Rep rep, List<DecisionView> decisions) {
        boolean waiting = lead.status == LeadStatus.QUEUED || lead.status == LeadStatus.OFFERED || lead.status == LeadStatus.HELD;
        if (!waiting) {
            return Uni.createFrom().item(WhyNot.explain(lead.id, rep.id, lead.ownerRepId, false, Optional.empty(), decisions));
        }
        return policies.current().chain(policy -> roster.facts(rep, lead.team, policy.forTeam(lead.team).fairnessWeekly())
                .map(facts -> WhyNot.explain(lead.id, rep.id, lead.ownerRepId, true,
                        engine.exclusion(lead.facts(), facts, policy.forTeam(lead.team).routing(), Instant.now()), decisions)));
    }
}
