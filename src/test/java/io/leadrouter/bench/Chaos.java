package io.leadrouter.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.leadrouter.replica.ReplicaCluster;

/**
 * The faults of chaos mode, spread over the intake: {@code kill -9} of a replica and its restart, rep sockets cut,
 * a PostgreSQL restart and a PostgreSQL crash, a replica frozen past the replica timeout, sockets cut again. Each
 * fault waits for its moment and for the one before it to finish.
 */
final class Chaos {

    private final ReplicaCluster cluster;
    private final List<BenchRep> reps;
    private final Duration duration;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Thread thread = new Thread(this::run, "chaos");
    /** Long enough for the others to reap the frozen replica: the replica timeout (10 s) and two heartbeats past it. */
    static final Duration FROZEN = Duration.ofSeconds(14);
    private long start;

    private Chaos(ReplicaCluster cluster, List<BenchRep> reps, Duration duration) {
        this.cluster = cluster;
        this.reps = reps;
        this.duration = duration;
    }

    /** Starts the faults now, over an intake of the given duration. */
    static Chaos start(ReplicaCluster cluster, List<BenchRep> reps, Duration duration) {
        Chaos chaos = new Chaos(cluster, reps, duration);
        chaos.start = System.nanoTime();
        chaos.thread.start();
        return chaos;
    }

    /** Waits for the last fault to be over (a replica or PostgreSQL back up) and returns what happened when. */
    List<String> awaitDone() throws InterruptedException {
        thread.join();
        return List.copyOf(log);
    }

    private void run() {
        String victim = cluster.names().get(cluster.names().size() - 1);
        at(0.2);
        int exit = cluster.kill(victim);
        note("kill -9 replica " + victim + " (exit " + exit + ")");
        cluster.restart(victim);
        note("replica " + victim + " restarted and ready");
        at(0.35);
        note("cut " + drop(0) + " rep sockets");
        at(0.45);
        note("PostgreSQL stopping");
        cluster.restartDatabase();
        note("PostgreSQL restarted");
        at(0.55);
        note("PostgreSQL crashing (immediate shutdown)");
        cluster.crashDatabase();
        note("PostgreSQL recovered and restarted");
        at(0.65);
        String frozen = cluster.names().get(0);
        note("SIGSTOP replica " + frozen + " for " + FROZEN.toSeconds() + " s");
        cluster.freeze(frozen, FROZEN);
        note("SIGCONT replica " + frozen);
        at(0.85);
        note("cut " + drop(1) + " rep sockets");
    }

    /** Cuts every third rep's socket, from the given offset. */
    private int drop(int offset) {
        int dropped = 0;
        for (int i = offset; i < reps.size(); i += 3) {
            reps.get(i).drop();
            dropped++;
        }
        return dropped;
    }

    private void at(double share) {
        long due = start + (long) (duration.toNanos() * share);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void note(String event) {
        String line = String.format("%6.1f s  %s", (System.nanoTime() - start) / 1e9, event);
        log.add(line);
        System.err.println("chaos " + line);
    }
}
