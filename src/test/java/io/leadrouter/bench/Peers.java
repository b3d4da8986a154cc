package io.leadrouter.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The peers (docs/benchmark.md, "Peers"): pg-boss and graphile-worker, the PostgreSQL job queues a team that does not
 * buy a router builds one on. After our load the harness runs the Node scripts of {@code bench/peers} against the same
 * PostgreSQL, one peer and one operation at a time, each in a schema of its own, and reads the JSON line each prints.
 */
final class Peers {

    /** {@code --peers}. */
    enum Mode {
        /** Run them when {@code node} is on the PATH and {@code bench/peers/node_modules} holds the pinned versions. */
        AUTO,
        /** Run them, installing them first ({@code npm ci}) if need be; no Node is an error, before the load. */
        ON,
        OFF;

        static Mode parse(String value) {
            return switch (value) {
                case "auto" -> AUTO;
                case "on" -> ON;
                case "off" -> OFF;
                default -> throw new IllegalArgumentException("--peers is auto, on or off, not " + value);
            };
        }
    }

    static final Path DIRECTORY = Path.of("bench/peers");
    static final List<String> PEERS = List.of("pg-boss", "graphile-worker");
    /** The rows of issue 16's table, in its order: the scripts' first argument. */
    static final List<String> OPERATIONS = List.of("single", "batch", "claim");
    /** The peers' connection pool: the service's ({@code quarkus.datasource.reactive.max-size}). */
    static final int POOL = 20;
    /** Issue 16's rows, where the run does not say: 64 single enqueues in flight, 100k jobs, 10 workers. */
    static final int SINGLE_IN_FLIGHT = 64;
    static final int JOBS = 100_000;
    static final int WORKERS = 10;
    /** Claimers at most: the product's pull target is 10 to 50 reps; more than the pool would only queue for it. */
    static final int MAX_WORKERS = 50;
    /** The claim rate the queue is filled for when the run has no claim ceiling. */
    static final double CLAIMS_PER_SECOND_WITHOUT_CEILING = 4_000;
    /** On top of the warm-up and the measured period: installing the schema and filling the queue for the claims. */
    private static final Duration SET_UP_ALLOWANCE = Duration.ofMinutes(5);

    /**
     * What the peers are given: this run's warm-up and duration, and each row's shape from the run's options.
     *
     * @param inFlight single enqueues open at once: {@code --closed-loop}, else {@value #SINGLE_IN_FLIGHT}
     * @param jobs jobs batch-enqueued and measured: {@code --queued}, else {@value #JOBS}
     * @param workers claimers: {@code --reps} under {@code --pull} (at most {@value #MAX_WORKERS}), else {@value #WORKERS}
     * @param depth jobs queued before the claims: {@code --queued}, else {@value #JOBS}
     * @param claimsPerSecond the run's claim ceiling: the queue gets {@code depth} plus this many jobs per second of
     *            claiming, so that it stays at least {@code depth} deep unless a peer claims faster than pgbench's bare claim
     */
    record Workload(Duration warmup, Duration duration, int inFlight, int batch, int batchesInFlight, int jobs, int workers,
            int depth, double claimsPerSecond) {

        static Workload of(BenchOptions options, List<Ceiling.Result> ceiling) {
            double claimCeiling = ceiling.stream().filter(result -> result.sql().equals(Ceiling.CLAIM)).mapToDouble(Ceiling.Result::tps)
                    .findFirst().orElse(CLAIMS_PER_SECOND_WITHOUT_CEILING);
            int queued = options.queued() > 0 ? options.queued() : JOBS;
            return new Workload(options.warmup(), options.duration(), options.closedLoop() > 0 ? options.closedLoop() : SINGLE_IN_FLIGHT,
                    LoadHarness.BATCH_SIZE, LoadHarness.BATCHES_IN_FLIGHT, queued,
                    options.pull() ? Math.min(options.reps(), MAX_WORKERS) : WORKERS, queued, claimCeiling);
        }

        List<String> arguments() {
            return List.of("--warmup", seconds(warmup), "--duration", seconds(duration), "--in-flight", Integer.toString(inFlight),
                    "--batch", Integer.toString(batch), "--batches-in-flight", Integer.toString(batchesInFlight), "--jobs",
                    Integer.toString(jobs), "--workers", Integer.toString(workers), "--depth", Integer.toString(depth),
                    "--claims-per-second", Long.toString(Math.round(claimsPerSecond)), "--pool", Integer.toString(POOL));
        }

        private static String seconds(Duration duration) {
            return Double.toString(duration.toMillis() / 1000.0);
        }
    }

    /** One script's run: the line it printed, or why there is none. */
    record Result(String peer, String operation, JsonNode figures, String failure) {
    }

    /** What ran: with what, on which Node, and each script's result in the order of {@link #OPERATIONS}, then {@link #PEERS}. */
    record Measured(String node, Workload workload, List<Result> results) {

        Optional<Result> result(String peer, String operation) {
            return results.stream().filter(result -> result.peer().equals(peer) && result.operation().equals(operation)).findFirst();
        }
    }

    private final String node;
    private final String skipped;
    private final ObjectMapper mapper = new ObjectMapper();

    private Peers(String node, String skipped) {
        this.node = node;
        this.skipped = skipped;
    }

    /**
     * Decides, before the run, whether the peers will run, and installs them under {@link Mode#ON}.
     *
     * @param hasDatabase whether the run has the service's PostgreSQL ({@code --cluster} or {@code --db})
     */
    static Peers prepare(Mode mode, boolean hasDatabase) throws IOException, InterruptedException {
        return prepare(mode, hasDatabase, System.getenv().getOrDefault("PATH", ""));
    }

    /** As {@link #prepare(Mode, boolean)}, with {@code node} and {@code npm} looked for on the given PATH. */
    static Peers prepare(Mode mode, boolean hasDatabase, String path) throws IOException, InterruptedException {
        if (mode == Mode.OFF) {
            return new Peers(null, "--peers off");
        }
        if (!hasDatabase) {
            return new Peers(null, "no database: give --cluster or --db");
        }
        if (!Files.isRegularFile(DIRECTORY.resolve("package.json"))) {
            if (mode == Mode.ON) {
                throw new IllegalStateException("--peers on: no " + DIRECTORY + "/package.json here; run the harness from the repository root");
            }
            return new Peers(null, "no " + DIRECTORY + " here: run from the repository root");
        }
        Optional<Path> node = onPath("node", path);
        if (node.isEmpty()) {
            if (mode == Mode.ON) {
                throw new IllegalStateException("--peers on: node not found on the PATH");
            }
            return new Peers(null, "node not found");
        }
        Optional<String> missing = notInstalled();
        if (missing.isPresent()) {
            if (mode == Mode.AUTO) {
                return new Peers(null, missing.get() + ": give --peers on, or run npm ci in " + DIRECTORY);
            }
            install(path);
        }
        return new Peers(node.get().toString(), null);
    }

    boolean willRun() {
        return skipped == null;
    }

    /** Why the peers do not run in this run, or null. */
    String skipped() {
        return skipped;
    }

    /** Runs every script against the database, one at a time. A script that fails is reported as such; the others go on. */
    Measured run(BenchDatabase database, Workload workload) throws IOException, InterruptedException {
        String nodeVersion = output(List.of(node, "--version")).strip();
        List<Result> results = new ArrayList<>();
        for (String operation : OPERATIONS) {
            for (String peer : PEERS) {
                results.add(runScript(database, peer, operation, workload));
            }
        }
        return new Measured(nodeVersion, workload, results);
    }

    private Result runScript(BenchDatabase database, String peer, String operation, Workload workload)
            throws IOException, InterruptedException {
        Map<String, String> libpq = database.libpq();
        // the password through the environment (node-postgres reads PGPASSWORD), not on a command line anyone can list
        String url = "postgres://" + libpq.getOrDefault("user", "postgres") + "@" + libpq.get("host") + ":" + libpq.get("port") + "/"
                + libpq.get("database");
        List<String> command = new ArrayList<>(List.of(node, peer + ".js", operation, "--db", url));
        command.addAll(workload.arguments());
        System.err.printf("peers: %s %s%n", peer, operation);
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PGPASSWORD", libpq.getOrDefault("password", ""));
        Process process = builder.start();
        CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Duration timeout = workload.warmup().plus(workload.duration()).plus(SET_UP_ALLOWANCE);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(peer, operation, null, "no answer within " + timeout.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            return new Result(peer, operation, null, "exited " + process.exitValue() + " (its error is above on stderr)");
        }
        String line = printed.join().strip();
        line = line.substring(line.lastIndexOf('\n') + 1);
        try {
            return new Result(peer, operation, mapper.readTree(line), null);
        } catch (IOException notJson) {
            return new Result(peer, operation, null, "printed no JSON line: " + line);
        }
    }

    /** Empty when every dependency of bench/peers/package.json is in node_modules at its pinned version, else what is not. */
    private static Optional<String> notInstalled() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode dependencies = mapper.readTree(DIRECTORY.resolve("package.json").toFile()).path("dependencies");
        for (Map.Entry<String, JsonNode> dependency : dependencies.properties()) {
            Path installed = DIRECTORY.resolve("node_modules").resolve(dependency.getKey()).resolve("package.json");
            if (!Files.isRegularFile(installed)) {
                return Optional.of(DIRECTORY + "/node_modules has no " + dependency.getKey());
            }
            String version = mapper.readTree(installed.toFile()).path("version").asText();
            if (!version.equals(dependency.getValue().asText())) {
                return Optional.of(DIRECTORY + "/node_modules has " + dependency.getKey() + " " + version + ", not "
                        + dependency.getValue().asText());
            }
        }
        return Optional.empty();
    }

    /** {@code npm ci}: exactly the versions of package-lock.json. */
    private static void install(String path) throws IOException, InterruptedException {
        String npm = onPath("npm", path).orElseThrow(() -> new IllegalStateException("--peers on: npm not found on the PATH")).toString();
        System.err.printf("peers: npm ci in %s%n", DIRECTORY);
        Process process = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(DIRECTORY.toFile())
                .redirectErrorStream(true).start();
        // npm's output to stderr: stdout is the report's
        process.getInputStream().transferTo(System.err);
        if (process.waitFor() != 0 || notInstalled().isPresent()) {
            throw new IllegalStateException("--peers on: npm ci in " + DIRECTORY + " failed (exit " + process.exitValue() + ")");
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }

    private static Optional<Path> onPath(String executable, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
