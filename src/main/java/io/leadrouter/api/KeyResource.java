package io.leadrouter.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leadrouter.security.ApiKeys;
import io.leadrouter.security.Roles;
import io.smallrye.mutiny.Uni;

/** API keys with roles, made and revoked at run time by an admin. */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeyResource {

    /** A new key: a name for people, its roles, and optionally its own request limit. */
    public record KeyRequest(@NotBlank(message = "is required") @Size(max = 100, message = "is at most 100 characters") String name,
            List<String> roles, @Positive(message = "must be at least 1") Integer requestsPerMinute) {
    }

    private final ApiKeys keys;

    public KeyResource(ApiKeys keys) {
        this.keys = keys;
    }

    /** 201 with the key, shown this once. */
    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> create(@NotNull(message = "needs a body") @Valid KeyRequest request) {
        return keys.create(request.name(), request.roles(), request.requestsPerMinute())
                .map(created -> Response.created(URI.create("/api/v1/keys/" + created.id())).entity(created).build());
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    public Uni<List<ApiKeys.Key>> list() {
        return keys.list();
    }

    /** Revoked at once: the next request with it is a 401, on every replica. */
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return keys.delete(id).map(ignored -> Response.noContent().build());
    }
}
