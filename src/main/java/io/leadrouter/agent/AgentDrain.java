package io.leadrouter.agent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadrouter.lifecycle.Matcher;
import io.leadrouter.replica.ReplicaRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Graceful shutdown (SIGTERM): stop making offers here, and close the agent sockets with 1012 so
 * clients reconnect to another replica, where welcome gives them their open offers and leads back.
 * Open offers stay in the database; another replica's sweep expires those nobody accepts.
 */
@ApplicationScoped
public class AgentDrain {

    private static final Logger LOG = Logger.getLogger(AgentDrain.class);

    private final Matcher matcher;
    private final AgentSessions sessions;
    private boolean drained;

    public AgentDrain(Matcher matcher, AgentSessions sessions) {
        this.matcher = matcher;
        this.sessions = sessions;
    }

    /** The shutdown delay began (readiness is down, the HTTP server still runs): the moment to hand reps over. */
    void onDelay(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Without a delay configured, as early as shutdown allows. */
    void onStop(@Observes ShutdownEvent event) {
        drain();
    }

    /**
     * The other replicas reaped this one while it was frozen: the reps on its sockets were handed to their grace period
     * and may have moved on, so none of its sessions is trusted any more. They reconnect (1012) and are welcomed afresh,
     * here or elsewhere; offers keep being made here, from the shared tables.
     */
    void onReaped(@Observes ReplicaRegistry.Reaped reaped) {
        int reps = sessions.connectedReps().size();
        sessions.closeAllForRestart();
        LOG.warnf("Reaped while frozen: sockets of %d reps closed with 1012 to reconnect", reps);
    }

    private synchronized void drain() {
        if (drained) {
            return;
        }
        drained = true;
        matcher.stop();
        int reps = sessions.connectedReps().size();
        sessions.closeAllForRestart();
        LOG.infof("Shutting down: no new offers here; sockets of %d reps closed with 1012 to reconnect elsewhere", reps);
    }
}
