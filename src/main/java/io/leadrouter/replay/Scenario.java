package io.leadrouter.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A day to replay: the roster with its drawn schedules, the leads in arrival order and how reps
 * answer offers. The simulation runs until nothing is left to happen or the day is over.
 */
public record Scenario(String name, Instant dayStart, List<SimulatedRep> reps, List<ScenarioLead> leads,
        BehaviourModel behaviour) {

    public Instant dayEnd() {
        return dayStart.plus(Duration.ofDays(1));
    }
}
