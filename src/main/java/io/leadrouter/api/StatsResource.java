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
import io.leadrouter.stats.FairnessService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /stats/fairness} ({@link FairnessService}) and {@code GET /stats/declines} ({@link DeclineStats}), each
 * {@code ?period=day|week&team=}.
 */
@Path("/api/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final FairnessService fairness;
    private final DeclineStats declines;

    public StatsResource(FairnessService fairness, DeclineStats declines) {
        this.fairness = fairness;
        this.declines = declines;
    }

    @GET
    @Path("/fairness")
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<FairnessService.FairnessView> fairness(@QueryParam("period") @DefaultValue("day") String period,
            @QueryParam("team") String team) {
        return checked(period).chain(() -> fairness.measure(period, team));
    }

    /** Each rep's declines by reason. */
    @GET
    @Path("/declines")
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<DeclineStats.DeclinesView> declines(@QueryParam("period") @DefaultValue("day") String period,
            @QueryParam("team") String team) {
        return checked(period).chain(() -> declines.measure(period, team));
    }

    private static Uni<Void> checked(String period) {
        return period.equals("day") || period.equals("week") ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(DomainException.invalid(List.of(new Problem.FieldError("period", "must be day or week"))));
    }
}
