package io.leadrouter.routing;

/** A rep's live presence. OFFLINE is the server's alone: clients choose among the other three. */
public enum Presence {
    AVAILABLE, BUSY, AWAY, OFFLINE
}
