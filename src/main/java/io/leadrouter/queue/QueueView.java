package io.leadrouter.queue;

import java.util.Map;

import io.leadrouter.routing.Mode;

/**
 * The queue at a glance.
 *
 * @param byPriority queued leads per priority (5 highest)
 * @param availableReps reps connected and AVAILABLE
 * @param teams the same figures per team
 * @param teamsWithoutReps teams with leads waiting (queued or held) and no active rep, with how many: someone has to
 *     staff them or move their leads
 */
public record QueueView(long depth, Map<Integer, Long> byPriority, long oldestWaitingSeconds, Mode mode,
        long availableReps, long held, Map<String, TeamQueue> teams, Map<String, Long> teamsWithoutReps) {

    public record TeamQueue(long depth, Map<Integer, Long> byPriority, long oldestWaitingSeconds, Mode mode,
            long availableReps) {
    }
}
