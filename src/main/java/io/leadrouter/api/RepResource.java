package io.leadrouter.api;

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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.lifecycle.RepService;
import io.leadrouter.rep.RepDocument;
import io.leadrouter.rep.RepView;
import io.leadrouter.rep.TokenResponse;
import io.leadrouter.security.RepTokens;
import io.leadrouter.security.Roles;
import io.smallrye.mutiny.Uni;

/** The roster and rep tokens. */
@Path("/api/v1/reps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepResource {

    static final String REP_ID = "^[A-Za-z0-9._@-]{1,100}$";
    static final String REP_ID_MESSAGE = "must be 1 to 100 of letters, digits, . _ @ -";
    private final RepService reps;
    private final RepTokens tokens;
    private final LeadRouterConfig config;

    public RepResource(RepService reps, RepTokens tokens, LeadRouterConfig config) {
        this.reps = reps;
        this.tokens = tokens;
        this.config = config;
    }

    @PUT
    @Path("/{repId}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> put(@PathParam("repId") @Pattern(regexp = REP_ID, message = REP_ID_MESSAGE) String repId,
            @NotNull(message = "needs a rep document") @Valid RepDocument document) {
        return reps.put(repId, document).map(saved -> saved.created()
                ? Response.created(URI.create("/api/v1/reps/" + repId)).entity(saved.rep()).build()
                : Response.ok(saved.rep()).build());
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

    /** Every token of the rep stops working at once and its sockets close with 4403, on every replica. */
    @POST
    @Path("/{repId}/tokens/revoke")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> revokeTokens(@PathParam("repId") String repId) {
        return reps.revokeTokens(repId).map(ignored -> Response.noContent().build());
    }
}
