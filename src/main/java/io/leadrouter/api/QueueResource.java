package io.leadrouter.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.leadrouter.queue.QueueService;
import io.leadrouter.queue.QueueView;
import io.leadrouter.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** {@code GET /queue}: depth by team and priority, oldest wait, mode and available reps. */
@Path("/api/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    private final QueueService queue;

    public QueueResource(QueueService queue) {
        this.queue = queue;
    }

    /** The whole queue, or one team's with {@code ?team=}; the top-level mode is that team's (else the default team's). */
    @GET
    @WithSession
    @RolesAllowed(Roles.READ)
    public Uni<QueueView> get(@QueryParam("team") String team) {
        return queue.snapshot(team);
    }
}
