package io.leadrouter.event;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.Timestamps;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class EventService {

    /** Records an event in the caller's transaction, so it exists exactly when what it reports does. */
    public Uni<Void> record(RoutingEvent.Kind kind, UUID leadId, String team, String repId, String reason) {
        RoutingEvent event = new RoutingEvent();
        event.kind = kind;
        event.leadId = leadId;
        event.team = team;
        event.repId = repId;
        event.reason = reason;
        event.createdAt = Timestamps.now();
        return event.persist().replaceWithVoid();
    }

    /** Newest first, optionally of one kind, team or lead. */
    @WithSession
    public Uni<List<RoutingEvent>> list(RoutingEvent.Kind kind, String team, UUID leadId, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (kind != null) {
            query.append(" and kind = :kind");
            params.and("kind", kind);
        }
        if (team != null) {
            query.append(" and team = :team");
            params.and("team", team);
        }
        if (leadId != null) {
            query.append(" and leadId = :lead");
            params.and("lead", leadId);
        }
        return RoutingEvent.<RoutingEvent> find(query.toString(), Sort.descending("id"), params).page(Page.ofSize(limit)).list();
    }
}
