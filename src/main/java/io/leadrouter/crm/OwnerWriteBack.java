package io.leadrouter.crm;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.Sql;
import io.leadrouter.event.EventType;
import io.leadrouter.event.LifecycleEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The half of owner write-back both CRMs share: which record a lead came from (its {@code externalId}) and who owns it
 * after an event. An assignment gives it to the rep's id in that CRM ({@code crmIds} of the rep document); a take-back
 * to the configured unassigned owner. Read when the event is delivered, so a rep's id added later is used by a replay.
 */
@ApplicationScoped
public class OwnerWriteBack {

    /** The events an owner write-back acts on. */
    static final Set<String> EVENTS = Set.of(EventType.LEAD_ASSIGNED.wireName(), EventType.LEAD_TAKEN_BACK.wireName());

    private static final String LOOKUP = """
            SELECT l.external_id, (SELECT r.document -> 'crmIds' ->> :crm FROM rep r WHERE r.id = :rep)
            FROM lead l WHERE l.id = :lead
            """;

    /**
     * What an event asks of the CRM: set {@code ownerId} on the record {@code externalId}, or nothing, for the reason in
     * {@code skipped}.
     */
    record Change(String externalId, String ownerId, String skipped) {

        static Change skip(String externalId, String reason) {
            return new Change(externalId, null, reason);
        }
    }

    /**
     * The change for an event of {@link #EVENTS}.
     *
     * @param crm the key of {@code crmIds}
     * @param takenBackOwner the owner of a taken-back lead's record; null when a take-back writes nothing
     */
    Uni<Change> change(LifecycleEvent event, String crm, String takenBackOwner) {
        return Panache.withSession(() -> Sql.rows(LOOKUP, Map.of("crm", crm, "lead", event.leadId(),
                "rep", event.repId() == null ? "" : event.repId()))).map(rows -> {
                    if (rows.isEmpty()) {
                        return Change.skip(null, "lead " + event.leadId() + " no longer exists");
                    }
                    String externalId = (String) rows.get(0)[0];
                    String repCrmId = (String) rows.get(0)[1];
                    if (externalId == null || externalId.isBlank()) {
                        return Change.skip(null, "lead " + event.leadId() + " has no externalId naming its " + crm + " record");
                    }
                    if (event.type() == EventType.LEAD_ASSIGNED) {
                        return repCrmId == null
                                ? Change.skip(externalId, "rep " + event.repId() + " has no crmIds." + crm)
                                : new Change(externalId, repCrmId, null);
                    }
                    return takenBackOwner == null
                            ? Change.skip(externalId, "taken back, and no unassigned-owner-id is configured for " + crm)
                            : new Change(externalId, takenBackOwner, null);
                });
    }

    /** The configured events, refused at start when one is not an owner change. */
    static List<String> checked(List<String> events, String key) {
        for (String event : events) {
            if (!EVENTS.contains(event)) {
                throw new IllegalStateException(key + " lists " + event + "; an owner is written back on " + EVENTS);
            }
        }
        return List.copyOf(events);
    }
}
