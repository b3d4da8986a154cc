package io.leadrouter.routing;

/**
 * A team's live load and mode as of the last evaluation.
 *
 * @param changed the mode differs from what this process last knew
 */
public record TeamLoad(String team, Mode mode, long queued, long freeCapacity, boolean changed) {
}
