package io.leadrouter.routing;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.common.ApiException;
import io.leadrouter.lead.Lead;
import io.leadrouter.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The decision trace of a lead: who was considered for each attempt, why each was excluded or how it scored. */
@Path("/api/v1/leads/{id}/decisions")
@RolesAllowed(Roles.API)
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {

    @GET
    @WithSession
    public Uni<List<DecisionView>> list(@PathParam("id") UUID leadId) {
        return Lead.<Lead> findById(leadId).chain(lead -> {
            if (lead == null) {
                return Uni.createFrom().failure(ApiException.notFound("Lead", leadId));
            }
            return Decision.<Decision> list("leadId", Sort.by("id"), leadId)
                    .map(decisions -> decisions.stream().map(DecisionView::of).toList());
        });
    }
}
