package io.leadrouter.lifecycle;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.agent.AgentSessions;
import io.leadrouter.agent.ServerFrame;
import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Runs the upkeep on the sweep's beat and tells reps and the matcher what came back into the queue. */
@ApplicationScoped
public class UpkeepJob {

    private static final Logger LOG = Logger.getLogger(UpkeepJob.class);

    private final LeadUpkeep upkeep;
    private final Matcher matcher;
    private final AgentSessions sessions;
    private final Vertx vertx;

    public UpkeepJob(LeadUpkeep upkeep, Matcher matcher, AgentSessions sessions, Vertx vertx) {
        this.upkeep = upkeep;
        this.matcher = matcher;
        this.sessions = sessions;
        this.vertx = vertx;
    }

    @Scheduled(every = "${leadrouter.sweep-interval}", delayed = "${leadrouter.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return Jobs.logged(SafeContexts.run(vertx, upkeep::agePriorities)
                .chain(() -> SafeContexts.run(vertx, upkeep::escalateHeld)).invoke(this::requeued)
                .chain(() -> SafeContexts.run(vertx, upkeep::takeBackUntended)).invoke(this::takenBack), LOG, "Lead upkeep");
    }

    private void takenBack(List<LeadUpkeep.Requeued> leads) {
        for (LeadUpkeep.Requeued lead : leads) {
            sessions.send(lead.fromRepId(), new ServerFrame.LeadTakenBack(lead.leadId(), "UNTENDED"));
        }
        requeued(leads);
    }

    private void requeued(List<LeadUpkeep.Requeued> leads) {
        Set<String> teams = new LinkedHashSet<>();
        leads.forEach(lead -> teams.add(lead.team()));
        teams.forEach(matcher::requestDrain);
    }
}
