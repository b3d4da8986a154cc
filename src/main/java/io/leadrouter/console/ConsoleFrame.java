package io.leadrouter.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.leadrouter.queue.QueueView;
import io.leadrouter.rep.RepView;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.DecisionKind;
import io.leadrouter.routing.Mode;
import io.leadrouter.stats.FairnessService;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Frames the manager console receives on {@code /ws/manager}, told apart by {@code type}. */
// written by our own ObjectMapper, not by a typed endpoint: native images need them (and what they hold) registered
@RegisterForReflection(targets = { ConsoleFrame.class, ConsoleFrame.Snapshot.class, ConsoleFrame.History.class },
        registerFullHierarchy = true)
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ConsoleFrame.Snapshot.class, name = "snapshot"),
        @JsonSubTypes.Type(value = ConsoleFrame.History.class, name = "history") })
public sealed interface ConsoleFrame {

    /**
     * Everything the console shows, pushed on every console tick while a manager is connected.
     *
     * @param decisions the newest decisions, newest first
     * @param fairness today's fairness (UTC day)
     */
    record Snapshot(Instant at, QueueView queue, List<RepActivity> reps, List<DecisionSummary> decisions,
            FairnessService.FairnessView fairness) implements ConsoleFrame {
    }

    /** Queue depth samples of the last 30 minutes, oldest first, sent when the console connects. */
    record History(List<QueueSample> samples) implements ConsoleFrame {
    }

    /** Queued leads per team and priority at one moment. */
    record QueueSample(Instant at, Map<String, Map<Integer, Long>> byTeam) {
    }

    /**
     * A rep with today's offer outcomes (UTC day).
     *
     * @param acceptRate accepted / resolved offers today; null before any was resolved
     */
    record RepActivity(RepView rep, long offersToday, long acceptedToday, Double acceptRate) {
    }

    /** One decision in the feed; its full trace is {@code GET /api/v1/leads/{leadId}/decisions}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DecisionSummary(long id, UUID leadId, String company, int attempt, DecisionKind kind, Mode mode,
            String chosenRepId, int policyVersion, List<Criterion> relaxed, String reason, int candidates,
            Instant createdAt) {
    }
}
