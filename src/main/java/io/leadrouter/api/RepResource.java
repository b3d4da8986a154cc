package io.leadrouter.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.DomainException;
import io.leadrouter.lead.ManagerReason;
import io.leadrouter.lifecycle.BulkRoster;
import io.leadrouter.lifecycle.ManagerActions;
import io.leadrouter.lifecycle.RepService;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RepDocument;
import io.leadrouter.rep.RepView;
import io.leadrouter.rep.RosterResponse;
import io.leadrouter.rep.TokenResponse;
import io.leadrouter.security.RepTokens;
import io.leadrouter.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** The roster and rep tokens. */
@Path("/api/v1/reps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepResource {

    private final RepService reps;
    private final BulkRoster roster;
    private final RepTokens tokens;
    private final LeadRouterConfig config;
    private final ManagerActions actions;
    private final SecurityIdentity identity;

    public RepResource(RepService reps, BulkRoster roster, RepTokens tokens, LeadRouterConfig config, ManagerActions actions,
            SecurityIdentity identity) {
        this.actions = actions;
        this.identity = identity;
        this.reps = reps;
        this.roster = roster;
        this.tokens = tokens;
        this.config = config;
    }

    @PUT
    @Path("/{repId}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> put(@PathParam("repId") @Pattern(regexp = Rep.ID_PATTERN, message = Rep.ID_RULE) String repId,
            @NotNull(message = "needs a rep document") @Valid RepDocument document) {
        return reps.put(repId, document).map(saved -> saved.created()
                ? Response.created(URI.create("/api/v1/reps/" + repId)).entity(saved.rep()).build()
                : Response.ok(saved.rep()).build());
    }

    /**
     * Many reps at once: a JSON array of rep documents, each with its {@code id}, each created, replaced or refused on
     * its own as a single PUT would be.
     */
    @PUT
    @Blocking
    @RolesAllowed(Roles.ADMIN)
    public RosterResponse putAll(InputStream body) throws IOException {
        return roster.putJson(body);
    }

    /** Many reps at once as a CSV, a rep per row (columns in the README). */
    @PUT
    @Blocking
    @RolesAllowed(Roles.ADMIN)
    @Consumes(CsvBody.MEDIA_TYPE)
    public RosterResponse putAllCsv(@HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType type, InputStream body) throws IOException {
        return roster.putCsv(CsvBody.reader(type, body));
    }

    @GET
    @Path("/{repId}")
    @RolesAllowed(Roles.READ)
    public Uni<RepView> get(@PathParam("repId") String repId) {
        return reps.get(repId);
    }

    @GET
    @RolesAllowed(Roles.READ)
    public Uni<List<RepView>> list(@QueryParam("team") String team) {
        return reps.list(team);
    }

    /** Deactivates the rep: open offers are withdrawn and requeued, its sockets closed; its history stays. */
    @DELETE
    @Path("/{repId}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("repId") String repId) {
        return reps.deactivate(repId).map(team -> Response.noContent().build());
    }

    @POST
    @Path("/{repId}/tokens")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> issueToken(@PathParam("repId") String repId) {
        return reps.tokenEpoch(repId).map(epoch -> {
            Instant expiresAt = Instant.now().plus(config.tokenTtl());
            return Response.status(Response.Status.CREATED)
                    .entity(new TokenResponse(repId, tokens.issue(repId, epoch, expiresAt), expiresAt)).build();
        });
    }

    /** A manager pauses the rep: no offers (its open ones are withdrawn), no pulls; its assigned leads stay. */
    @POST
    @Path("/{repId}/pause")
    @RolesAllowed(Roles.ADMIN)
    public Uni<RepView> pause(@PathParam("repId") String repId, @NotNull(message = "needs a body with a reason") @Valid ManagerReason request) {
        return actions.pause(repId, request.reason(), LeadResource.by(identity));
    }

    @POST
    @Path("/{repId}/resume")
    @RolesAllowed(Roles.ADMIN)
    public Uni<RepView> resume(@PathParam("repId") String repId) {
        return actions.resume(repId, LeadResource.by(identity));
    }

    /** Every token of the rep stops working at once and its sockets close with 4403, on every replica. */
    @POST
    @Path("/{repId}/tokens/revoke")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> revokeTokens(@PathParam("repId") String repId) {
        return reps.revokeTokens(repId).map(ignored -> Response.noContent().build());
    }
}
