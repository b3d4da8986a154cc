package io.leadrouter.event;

import java.util.List;

/**
 * Reacts to committed events on the replica that committed them: socket frames, the drain, metrics. Called on the
 * event loop right after the commit, once per transaction, with its events in order; it must not block, and what it
 * throws is logged, never seen by the transaction's caller.
 */
public interface EventSubscriber {

    void committed(List<LifecycleEvent> events);
}
