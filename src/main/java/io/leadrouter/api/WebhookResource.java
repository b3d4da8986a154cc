package io.leadrouter.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.event.EventCursor;
import io.leadrouter.security.Roles;
import io.leadrouter.webhook.WebhookService;
import io.smallrye.mutiny.Uni;

/** Webhook endpoints: the event log delivered to receivers, signed as Standard Webhooks 1.0. */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookResource {

    /** A new endpoint: where, which event types ({@code ["*"]} for all), and a note for people. */
    public record WebhookRequest(@NotBlank(message = "is required") @Size(max = 2000, message = "is at most 2000 characters") String url,
            List<String> types, @Size(max = 500, message = "is at most 500 characters") String description) {
    }

    /** Where a replay starts: a cursor of the event feed, or {@code 0}. */
    public record ReplayRequest(@NotBlank(message = "is required") String after) {

        EventCursor cursor() {
            return EventCursor.parse(after).orElseThrow(() -> DomainException.invalid(List.of(
                    new Problem.FieldError("after", "must be 0 (the start) or a cursor the feed handed out"))));
        }
    }

    private final WebhookService webhooks;

    public WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    /** 201 with the endpoint and its secret, shown this once. */
    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> create(@NotNull(message = "needs a body") @Valid WebhookRequest request) {
        return webhooks.create(request.url(), request.types(), request.description())
                .map(created -> Response.created(URI.create("/api/v1/webhooks/" + created.id())).entity(created).build());
    }

    @GET
    @RolesAllowed(Roles.READ)
    public Uni<List<WebhookService.Endpoint>> list() {
        return webhooks.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READ)
    public Uni<WebhookService.Endpoint> get(@PathParam("id") UUID id) {
        return webhooks.get(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return webhooks.delete(id).map(ignored -> Response.noContent().build());
    }

    /** A new secret, shown this once; the old one keeps signing beside it for 24 hours. */
    @POST
    @Path("/{id}/rotate-secret")
    @RolesAllowed(Roles.ADMIN)
    public Uni<WebhookService.Endpoint> rotateSecret(@PathParam("id") UUID id) {
        return webhooks.rotateSecret(id);
    }

    @GET
    @Path("/{id}/deliveries")
    @RolesAllowed(Roles.READ)
    public Uni<List<WebhookService.Delivery>> deliveries(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return webhooks.deliveries(id, limit);
    }

    /** Sends again every event after the cursor, in order (and enables a disabled endpoint). */
    @POST
    @Path("/{id}/replay")
    @RolesAllowed(Roles.ADMIN)
    public Uni<WebhookService.Endpoint> replay(@PathParam("id") UUID id, @NotNull(message = "needs a body") @Valid ReplayRequest request) {
        return webhooks.replay(id, request.cursor());
    }
}
