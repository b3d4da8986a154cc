package io.leadrouter.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.policy.PolicyDocument;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** {@code GET/PUT /routing/policy}: the policy in force; every write is a new version. */
@Path("/api/v1/routing/policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyService policies;

    public PolicyResource(PolicyService policies) {
        this.policies = policies;
    }

    @GET
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<PolicyService.Version> get() {
        return policies.currentVersion();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<PolicyService.Version> put(@NotNull(message = "a policy document is required") PolicyDocument document) {
        return policies.put(document);
    }
}
