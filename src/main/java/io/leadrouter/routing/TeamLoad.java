package io.leadrouter.routing;

/**
 * A team's live load and mode as of the last evaluation.
 *
 * @param waiting leads queued or under offer
 * @param freeCapacity load points of available reps not taken by assigned leads
 * @param changed the mode differs from what this process last knew
 * @param waitingChanged the waiting count differs from the last evaluation's
 */
public record TeamLoad(String team, Mode mode, long waiting, long freeCapacity, boolean changed, boolean waitingChanged) {
}
