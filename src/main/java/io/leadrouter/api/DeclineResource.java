package io.leadrouter.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.security.Roles;
import io.leadrouter.stats.DeclineStats;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** {@code GET /stats/declines?period=day|week&team=}: each rep's declines by reason, see {@link DeclineStats}. */
@Path("/api/v1/stats/declines")
@Produces(MediaType.APPLICATION_JSON)
public class DeclineResource {

    private final DeclineStats declines;

    public DeclineResource(DeclineStats declines) {
        this.declines = declines;
    }

    @GET
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<DeclineStats.DeclinesView> get(@QueryParam("period") @DefaultValue("day") String period,
            @QueryParam("team") String team) {
        if (!period.equals("day") && !period.equals("week")) {
            return Uni.createFrom().failure(DomainException.invalid(List.of(new Problem.FieldError("period", "must be day or week"))));
        }
        return declines.measure(period, team);
    }
}
