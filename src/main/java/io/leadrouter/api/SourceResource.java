package io.leadrouter.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.common.DomainException;
import io.leadrouter.metrics.IntakeCounted;
import io.leadrouter.security.Roles;
import io.leadrouter.source.SourceService;
import io.smallrye.mutiny.Uni;

/** Mapped intake sources: a sender's own JSON (a HubSpot workflow, a web form) taken in without glue code. */
@Path("/api/v1/intake/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    private final SourceService sources;

    public SourceResource(SourceService sources) {
        this.sources = sources;
    }

    @GET
    @RolesAllowed(Roles.READ)
    public Uni<List<SourceService.Source>> list() {
        return sources.list();
    }

    /** 201 when new, 200 when replaced; the mapping is checked whole first. */
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> put(@PathParam("name") String name, JsonNode document) {
        return sources.put(name, document).map(saved -> (saved.getValue()
                ? Response.created(URI.create("/api/v1/intake/sources/" + name)) : Response.ok()).entity(saved.getKey()).build());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed(Roles.READ)
    public Uni<SourceService.Source> get(@PathParam("name") String name) {
        return sources.get(name);
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("name") String name) {
        return sources.delete(name).map(ignored -> Response.noContent().build());
    }

    /**
     * The sender's raw payload, signed if the source says so: one object is answered as {@code POST /leads} answers,
     * an array as {@code POST /leads/batch}.
     */
    @POST
    @Path("/{name}")
    @IntakeCounted
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.INTAKE)
    public Uni<Response> take(@PathParam("name") String name,
            @HeaderParam("Idempotency-Key") @Pattern(regexp = LeadResource.KEY_PATTERN, message = "must be 1 to 200 visible ASCII characters") String key,
            HttpHeaders headers, byte[] body) {
        if (body == null || body.length == 0) {
            throw DomainException.invalid("MISSING_BODY", "The request needs the sender's JSON payload");
        }
        return sources.take(name, body, headers::getHeaderString, key).map(taken -> {
            if (!taken.single()) {
                return Response.ok(taken.batch()).build();
            }
            return LeadResource.answer(taken.batch().results().get(0));
        });
    }
}
