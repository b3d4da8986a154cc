package io.leadrouter.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leadrouter.security.Credential;
import io.leadrouter.security.Roles;
import io.leadrouter.security.SessionTokens;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Manager console sign-in: a key that may read, exchanged for a short-lived session that reads. */
@Path("/api/v1/console/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleSessionResource {

    private final SessionTokens sessions;
    private final SecurityIdentity identity;

    public ConsoleSessionResource(SessionTokens sessions, SecurityIdentity identity) {
        this.sessions = sessions;
        this.identity = identity;
    }

    /** 201 with the session's token, shown this once; only a key opens one, a session cannot prolong itself. */
    @POST
    @RolesAllowed(Roles.READ)
    public Uni<Response> open() {
        return sessions.open(Credential.of(identity), identity.hasRole(Roles.ADMIN))
                .map(opened -> Response.created(URI.create("/api/v1/console/sessions/" + opened.id())).entity(opened).build());
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    public Uni<List<SessionTokens.Session>> list() {
        return sessions.list();
    }

    /** Signs a console out: its own session, or any for an admin; its socket closes and its token is refused at once. */
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.READ)
    public Uni<Response> close(@PathParam("id") UUID id) {
        return sessions.close(id, Credential.of(identity), identity.hasRole(Roles.ADMIN)).map(ignored -> Response.noContent().build());
    }
}
