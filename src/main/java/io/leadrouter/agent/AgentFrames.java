package io.leadrouter.agent;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.event.EventSubscriber;
import io.leadrouter.event.LifecycleEvent;
import io.leadrouter.lead.CloseResult;
import io.leadrouter.lead.LeadView;
import io.leadrouter.lifecycle.Acceptance;
import io.leadrouter.lifecycle.OfferOutcome;
import io.leadrouter.lifecycle.TeamBroadcast;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.Presence;
import io.quarkus.websockets.next.CloseReason;

/**
 * The frames committed lifecycle events mean for reps' sockets, sent to every tab of the rep on every replica
 * ({@link AgentSessions#send}); and the team-wide mode frames the matcher asks for.
 */
@ApplicationScoped
public class AgentFrames implements EventSubscriber, TeamBroadcast {

    /** Close code that tells the agent client its rep was deactivated: do not reconnect. */
    static final CloseReason DEACTIVATED = new CloseReason(4403, "rep deactivated");
    /** The same code once the rep's tokens were revoked: the client needs a new sign-in link. */
    static final CloseReason TOKENS_REVOKED = new CloseReason(4403, "token revoked");

    private final AgentSessions sessions;

    public AgentFrames(AgentSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void committed(List<LifecycleEvent> events) {
        for (LifecycleEvent event : events) {
            switch (event.type()) {
                case LEAD_OFFERED -> {
                    OfferOutcome outcome = event.attachment(OfferOutcome.class);
                    if (outcome != null) {
                        sessions.send(event.repId(), new ServerFrame.OfferMade(outcome.offer().id, outcome.lead(),
                                outcome.offer().expiresAt, outcome.why()));
                    }
                }
                case LEAD_DECLINED -> withdrawn(event, "CANCELLED");
                case LEAD_OFFER_EXPIRED -> withdrawn(event, "EXPIRED");
                case LEAD_REQUEUED -> {
                    if ("OFFER_CANCELLED".equals(event.text("cause"))) {
                        withdrawn(event, "CANCELLED");
                    }
                }
                case LEAD_ASSIGNED -> {
                    LeadView lead = event.attachment(Acceptance.class) != null ? event.attachment(Acceptance.class).lead()
                            : event.attachment(LeadView.class);
                    if (lead != null) {
                        sessions.send(event.repId(), new ServerFrame.Assigned(lead));
                    }
                    manuallyMoved(event);
                }
                case LEAD_TAKEN_BACK -> sessions.send(event.repId(), new ServerFrame.LeadTakenBack(event.leadId(), "UNTENDED"));
                case LEAD_DUPLICATE -> duplicate(event);
                case LEAD_CLOSED -> closed(event.attachment(CloseResult.class));
                case REP_STATUS_CHANGED -> statusChanged(event);
                case REP_TOKENS_REVOKED -> sessions.closeAll(event.repId(), TOKENS_REVOKED);
                case REP_PAUSED -> sessions.send(event.repId(), new ServerFrame.Paused(true, event.text("reason"), event.text("by")));
                case REP_RESUMED -> sessions.send(event.repId(), new ServerFrame.Paused(false, null, event.text("by")));
                default -> {
                }
            }
        }
    }

    @Override
    public void modeChanged(String team, Mode mode, long waiting) {
        sessions.sendToTeam(team, new ServerFrame.ModeChanged(mode, waiting, team));
    }

    /**
     * A manager's assignment took the lead from where it was: the rep it was offered to sees the offer withdrawn, the
     * previous owner sees it taken back as a take-back past the SLA is ({@code REASSIGNED}).
     */
    private void manuallyMoved(LifecycleEvent event) {
        if (event.text("offerRepId") != null) {
            sessions.send(event.text("offerRepId"), new ServerFrame.OfferWithdrawn(UUID.fromString(event.text("cancelledOfferId")),
                    "CANCELLED"));
        }
        if (event.text("previousOwnerRepId") != null) {
            sessions.send(event.text("previousOwnerRepId"), new ServerFrame.LeadTakenBack(event.leadId(), "REASSIGNED"));
        }
    }

    private void withdrawn(LifecycleEvent event, String reason) {
        sessions.send(event.repId(), new ServerFrame.OfferWithdrawn(UUID.fromString(event.text("offerId")), reason));
    }

    /** The owner of an assigned lead hears that it was sent in again; a lead nobody owns yet tells nobody. */
    @SuppressWarnings("unchecked")
    private void duplicate(LifecycleEvent event) {
        if (event.repId() != null) {
            sessions.send(event.repId(), new ServerFrame.Duplicate(event.leadId(), (List<String>) event.data().get("by"),
                    (Map<String, Object>) event.data().get("duplicate")));
        }
    }

    private void closed(CloseResult result) {
        if (result == null) {
            return;
        }
        if (result.cancelledOfferId() != null) {
            sessions.send(result.freedRepId(), new ServerFrame.OfferWithdrawn(result.cancelledOfferId(), "CANCELLED"));
        }
        if (result.lead().ownerRepId() != null) {
            sessions.send(result.lead().ownerRepId(), new ServerFrame.LeadClosed(result.lead()));
        }
    }

    private void statusChanged(LifecycleEvent event) {
        String reason = event.text("reason");
        if ("DEACTIVATED".equals(reason)) {
            sessions.closeAll(event.repId(), DEACTIVATED);
        } else if ("MISSED_OFFER".equals(reason)) {
            sessions.send(event.repId(), new ServerFrame.StatusChanged(Presence.AWAY, "MISSED_OFFER"));
        } else if ("CHOSEN".equals(reason)) {
            sessions.send(event.repId(), new ServerFrame.StatusChanged(Presence.valueOf(event.text("status")), null));
        }
    }
}
