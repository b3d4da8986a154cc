package io.leadrouter.api;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.common.ApiException;
import io.leadrouter.common.Problem;
import io.leadrouter.security.Roles;
import io.smallrye.mutiny.Uni;
import io.leadrouter.event.EventService;
import io.leadrouter.event.RoutingEvent;

/** {@code GET /events}: what managers are told (held, escalated, taken back), newest first. */
@Path("/api/v1/events")
@RolesAllowed(Roles.API)
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final EventService events;

    public EventResource(EventService events) {
        this.events = events;
    }

    @GET
    public Uni<List<RoutingEvent>> list(@QueryParam("kind") String kind,
            @QueryParam("team") @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be a team name") String team,
            @QueryParam("lead") UUID lead,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return events.list(kind == null ? null : kindOf(kind), team, lead, limit);
    }

    private static RoutingEvent.Kind kindOf(String kind) {
        try {
            return RoutingEvent.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(List.of(new Problem.FieldError("kind",
                    "must be one of " + Arrays.toString(RoutingEvent.Kind.values()))));
        }
    }
}
