package io.leadrouter.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.leadrouter.replica.ReplicaCluster;

/**
 * The harness's command line: {@code --name value} pairs, plus the {@code --pull} and {@code --chaos} switches.
 *
 * @param urls the replicas to load (reps and intake spread over them); empty with {@code cluster > 0}
 * @param cluster replicas the harness starts itself on an embedded PostgreSQL (0: load {@code urls})
 * @param replicaJvm JVM options of the replicas the harness starts, one per {@code --replica-jvm}
 * @param db JDBC URL of the service's PostgreSQL, for the ceiling, requeue lateness and invariant checks
 * @param teamSize reps per team (0: all in one team); leads go to the teams in turn
 * @param dayCap each rep's {@code caps.day} (0: none)
 * @param queued leads put in the queue by batch intake before the run (measures batch intake)
 * @param warmup load at the same rate before the measured run, forgotten afterwards (the replicas' JIT compiles meanwhile)
 * @param ceiling how long pgbench runs each ceiling script (0: no ceiling)
 * @param closedLoop single intakes open at once in the closed-loop phase after the reps left (0: no such phase)
 * @param peers whether pg-boss and graphile-worker run on the same database after our load ({@link Peers})
 */
record BenchOptions(List<URI> urls, int cluster, List<String> replicaJvm, String key, String db, int reps, int teamSize,
        int dayCap, double rate, Duration duration, Duration think, Duration work, double decline, double ignore, boolean pull,
        int queued, Duration warmup, boolean chaos, Duration ceiling, String pgbench, int maxInFlight, Duration drain, Path out,
        int closedLoop, Peers.Mode peers) {

    static final String USAGE = """
            LoadHarness [--url http://localhost:8080[,http://...]] [--key dev-key] [--db jdbc:postgresql://...?user=..&password=..]
                        [--cluster 0] [--replica-jvm -Xmx384m]... [--reps 50] [--team-size 0] [--day-cap 0]
                        [--rate 200] [--duration 30s] [--think 50ms] [--work 200ms] [--decline 0.05] [--ignore 0.0]
                        [--pull] [--queued 0] [--warmup 0] [--chaos] [--ceiling 10s] [--pgbench pgbench]
                        [--max-in-flight 256] [--drain 10s] [--out target/bench/report.json] [--closed-loop 0]
                        [--peers auto|on|off]""";

    static BenchOptions parse(String[] args) {
        List<URI> urls = List.of(URI.create("http://localhost:8080"));
        int cluster = 0;
        List<String> replicaJvm = List.of("-Xmx384m");
        boolean replicaJvmGiven = false;
        String key = "dev-key";
        String db = null;
        int reps = 50;
        int teamSize = 0;
        int dayCap = 0;
        double rate = 200;
        Duration duration = Duration.ofSeconds(30);
        Duration think = Duration.ofMillis(50);
        Duration work = Duration.ofMillis(200);
        double decline = 0.05;
        double ignore = 0.0;
        boolean pull = false;
        int queued = 0;
        Duration warmup = Duration.ZERO;
        boolean chaos = false;
        Duration ceiling = Duration.ofSeconds(10);
        String pgbench = null;
        int maxInFlight = 256;
        Duration drain = Duration.ofSeconds(10);
        Path out = Path.of("target/bench/report.json");
        int closedLoop = 0;
        Peers.Mode peers = Peers.Mode.AUTO;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--pull")) {
                pull = true;
                continue;
            }
            if (name.equals("--chaos")) {
                chaos = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--url" -> urls = Arrays.stream(value.split(",")).map(String::strip)
                        .map(url -> URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url)).toList();
                case "--cluster" -> cluster = Integer.parseInt(value);
                // one JVM option per --replica-jvm (Maven's command line cannot carry a quoted list): the first replaces the default
                case "--replica-jvm" -> {
                    replicaJvm = replicaJvmGiven ? new ArrayList<>(replicaJvm) : new ArrayList<>();
                    replicaJvm.add(value);
                    replicaJvmGiven = true;
                }
                case "--key" -> key = value;
                case "--db" -> db = value;
                case "--reps" -> reps = Integer.parseInt(value);
                case "--team-size" -> teamSize = Integer.parseInt(value);
                case "--day-cap" -> dayCap = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--duration" -> duration = duration(value);
                case "--think" -> think = duration(value);
                case "--work" -> work = duration(value);
                case "--decline" -> decline = Double.parseDouble(value);
                case "--ignore" -> ignore = Double.parseDouble(value);
                case "--queued" -> queued = Integer.parseInt(value);
                case "--warmup" -> warmup = duration(value);
                case "--ceiling" -> ceiling = duration(value);
                case "--pgbench" -> pgbench = value;
                case "--max-in-flight" -> maxInFlight = Integer.parseInt(value);
                case "--drain" -> drain = duration(value);
                case "--out" -> out = Path.of(value);
                case "--closed-loop" -> closedLoop = Integer.parseInt(value);
                case "--peers" -> peers = Peers.Mode.parse(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (reps < 1 || rate <= 0 || maxInFlight < 1 || decline < 0 || ignore < 0 || decline + ignore > 1 || teamSize < 0
                || dayCap < 0 || queued < 0 || cluster < 0 || closedLoop < 0) {
            throw new IllegalArgumentException("needs reps >= 1, rate > 0, max-in-flight >= 1, decline + ignore within 0..1, "
                    + "no negative counts\n" + USAGE);
        }
        if (chaos && cluster < 2) {
            throw new IllegalArgumentException("--chaos kills and restarts replicas and PostgreSQL: it needs --cluster 2 or more\n" + USAGE);
        }
        if (peers == Peers.Mode.ON && cluster == 0 && db == null) {
            throw new IllegalArgumentException("--peers on runs the peers on the service's PostgreSQL: it needs --cluster or --db\n" + USAGE);
        }
        return new BenchOptions(cluster > 0 ? List.of() : urls, cluster, replicaJvm, cluster > 0 ? ReplicaCluster.API_KEY : key, db, reps,
                teamSize, dayCap, rate, duration, think, work, decline, ignore, pull, queued, warmup, chaos, ceiling, pgbench, maxInFlight,
                drain, out, closedLoop, peers);
    }

    /** {@code 250ms}, {@code 30s}, {@code 2m}; {@code 0} is none. */
    static Duration duration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("a duration is a number with ms, s or m: " + text);
        };
    }
}
