package io.leadrouter.routing;

/** PUSH: the matcher offers leads to reps. PULL: leads wait and reps pull the next best one. */
public enum Mode {
    PUSH, PULL
}
