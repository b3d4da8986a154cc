package io.leadrouter.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.api.WebhookResource.ReplayRequest;
import io.leadrouter.security.Roles;
import io.leadrouter.webhook.WebhookService;
import io.smallrye.mutiny.Uni;

/**
 * The CRM connectors (owner write-back to Salesforce and HubSpot): configured per deployment, delivered like webhook
 * endpoints, and inspected and replayed here by kind.
 */
@Path("/api/v1/connectors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    static final String KIND = "^[a-z]{1,20}$";
    static final String KIND_MESSAGE = "must be a connector kind: salesforce or hubspot";

    private final WebhookService webhooks;

    public ConnectorResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @GET
    @RolesAllowed(Roles.READ)
    public Uni<List<WebhookService.Endpoint>> list() {
        return webhooks.connectors();
    }

    @GET
    @Path("/{kind}")
    @RolesAllowed(Roles.READ)
    public Uni<WebhookService.Endpoint> get(@PathParam("kind") @Pattern(regexp = KIND, message = KIND_MESSAGE) String kind) {
        return webhooks.connector(kind);
    }

    /** Every write-back attempt, newest first: the record, the outcome (DELIVERED, FAILED, SKIPPED, REJECTED), why. */
    @GET
    @Path("/{kind}/deliveries")
    @RolesAllowed(Roles.READ)
    public Uni<List<WebhookService.Delivery>> deliveries(@PathParam("kind") @Pattern(regexp = KIND, message = KIND_MESSAGE) String kind,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return webhooks.connectorDeliveries(kind, limit);
    }

    /** Writes back again from the cursor on (and enables a connector disabled after its last retry). */
    @POST
    @Path("/{kind}/replay")
    @RolesAllowed(Roles.ADMIN)
    public Uni<WebhookService.Endpoint> replay(@PathParam("kind") @Pattern(regexp = KIND, message = KIND_MESSAGE) String kind,
            @NotNull(message = "needs a body") @Valid ReplayRequest request) {
        return webhooks.replayConnector(kind, request.cursor());
    }
}
