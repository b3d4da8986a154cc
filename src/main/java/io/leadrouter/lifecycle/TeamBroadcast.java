package io.leadrouter.lifecycle;

import io.leadrouter.routing.Mode;

/**
 * How the matcher tells a team's connected reps what is not a lead's or rep's event: the team's mode and, in PULL,
 * its queue depth as it moves. The agent socket implements it; the lifecycle never reaches the sockets otherwise.
 */
public interface TeamBroadcast {

    void modeChanged(String team, Mode mode, long waiting);
}
