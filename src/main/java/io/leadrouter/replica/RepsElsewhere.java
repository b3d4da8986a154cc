package io.leadrouter.replica;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which reps may hold a socket on another replica, as this replica knows it: what decides whether a rep's frame is
 * notified to the others. Two sources feed it. A replica that opens a rep's first socket tells the others
 * ({@link #opened}); and a refresh reads the reps with a socket row of another replica ({@link #refreshStarts},
 * {@link #refreshed}), which catches what a missed notification left out and forgets reps that left.
 *
 * <p>Each mark carries a stamp of one clock with the refreshes' starts, so that a refresh forgets only marks older than
 * its start: a rep that connected elsewhere after the refresh read began is not in what it read, but its notification
 * is newer than the refresh. Until a refresh that started while listening has completed, every rep may be elsewhere:
 * this replica cannot have heard of the sockets opened before it listened.
 */
final class RepsElsewhere {

    private static final long NEVER = -1;

    private final AtomicLong clock = new AtomicLong();
    /** Rep to the stamp of its newest mark (a notification or a refresh that saw it). */
    private final Map<String, Long> reps = new ConcurrentHashMap<>();
    private volatile long listeningSince = NEVER;
    private final AtomicLong knownSince = new AtomicLong(NEVER);

    /** The notifications' channel is listened to (again): what came before went unheard, a refresh must catch it up. */
    void listening() {
        listeningSince = clock.incrementAndGet();
    }

    /** Another replica opened a socket of the rep. */
    void opened(String repId) {
        reps.put(repId, clock.incrementAndGet());
    }

    /** A refresh is about to read the socket rows; hand its stamp to {@link #refreshed}. */
    long refreshStarts() {
        return clock.incrementAndGet();
    }

    /** The reps the refresh started at {@code started} read with a socket on another replica. */
    void refreshed(long started, Collection<String> seen) {
        Set<String> read = new HashSet<>(seen);
        // a conditional remove per entry: a mark renewed meanwhile (a newer stamp) stays
        reps.entrySet().removeIf(mark -> mark.getValue() < started && !read.contains(mark.getKey()));
        read.forEach(repId -> reps.merge(repId, started, Math::max));
        long listening = listeningSince;
        if (listening != NEVER && listening < started) {
            knownSince.accumulateAndGet(started, Math::max);
        }
    }

    /** Whether a frame for the rep must be notified: it may have a socket elsewhere, or this replica cannot tell yet. */
    boolean mayHoldSocket(String repId) {
        return !known() || reps.containsKey(repId);
    }

    /** Whether a refresh completed that started after the channel was last listened to. */
    boolean known() {
        long listening = listeningSince;
        return listening != NEVER && knownSince.get() > listening;
    }
}
