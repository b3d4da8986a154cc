package io.leadrouter.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.policy.PolicyDocument;
import io.leadrouter.policy.ShadowPolicyService;
import io.leadrouter.security.Roles;
import io.leadrouter.stats.ShadowReportService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * {@code /routing/policy/shadow}: a candidate policy every live decision is also computed under, without acting, and
 * the report comparing the two.
 */
@Path("/api/v1/routing/policy/shadow")
@Produces(MediaType.APPLICATION_JSON)
public class ShadowPolicyResource {

    private final ShadowPolicyService shadows;
    private final ShadowReportService reports;

    public ShadowPolicyResource(ShadowPolicyService shadows, ShadowReportService reports) {
        this.shadows = shadows;
        this.reports = reports;
    }

    @GET
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<ShadowPolicyService.Version> get() {
        return shadows.newestVersion();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<ShadowPolicyService.Version> put(@NotNull(message = "a policy document is required") PolicyDocument document) {
        return shadows.put(document);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    public Uni<ShadowPolicyService.Version> delete() {
        return shadows.stop();
    }

    @GET
    @Path("/report")
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<ShadowReportService.ShadowReport> report(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("team") @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be a team name") String team) {
        return reports.report(instant("from", from), instant("to", to), team);
    }

    private static Instant instant(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(List.of(new Problem.FieldError(parameter, "must be an ISO-8601 instant such as 2026-12-01T09:00:00Z")));
        }
    }
}
