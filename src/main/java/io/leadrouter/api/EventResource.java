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

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.event.EventCursor;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.ManagerEvent;
import io.leadrouter.security.Roles;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /events}. With {@code after}: the lifecycle event log for consumers, oldest first from a cursor, with the
 * cursor to continue from. Without: what managers are told (held, escalated, taken back), newest first, filtered.
 */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final EventLog log;

    public EventResource(EventLog log) {
        this.log = log;
    }

    @GET
    @RolesAllowed(Roles.READ)
    public Uni<?> list(@QueryParam("after") String after, @QueryParam("kind") String kind,
            @QueryParam("team") @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be a team name") String team,
            @QueryParam("lead") UUID lead,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        if (after != null) {
            if (kind != null || team != null || lead != null) {
                throw DomainException.invalid(List.of(new Problem.FieldError("after",
                        "reads the whole log; kind, team and lead filter the manager events, without after")));
            }
            EventCursor cursor = EventCursor.parse(after).orElseThrow(() -> DomainException.invalid(List.of(
                    new Problem.FieldError("after", "must be 0 (the start) or a cursor the feed handed out"))));
            return log.after(cursor, limit);
        }
        return log.managerEvents(kind == null ? null : kindOf(kind), team, lead, limit);
    }

    private static ManagerEvent.Kind kindOf(String kind) {
        try {
            return ManagerEvent.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(List.of(new Problem.FieldError("kind",
                    "must be one of " + Arrays.toString(ManagerEvent.Kind.values()))));
        }
    }
}
