package io.leadrouter.replica;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One PostgreSQL and several processes of the packaged service ({@code java -jar quarkus-run.jar})
 * on it, each on its own port, as replicas run in production. Closing it ends every process it
 * started, also when the JVM exits without closing it.
 */
public final class ReplicaCluster implements AutoCloseable {

    public static final String API_KEY = "replica-key";
    /** The replicas' offer timeout, presence grace and sweep interval: short, so recovery is quick to watch. */
    public static final Duration OFFER_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration PRESENCE_GRACE = Duration.ofSeconds(3);
    public static final Duration SWEEP_INTERVAL = Duration.ofMillis(500);
    public static final Duration WEBHOOK_LEASE = Duration.ofSeconds(3);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Path LOGS = Path.of("target", "replicas");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dataDirectory;
    private final int databasePort;
    private final Launch replicaLaunch;
    private volatile EmbeddedPostgres postgres;
    private final Path jar;
    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final Thread killOnExit = new Thread(this::killAll, "replica-cluster-shutdown");

    /** @param env its own settings over the cluster's */
    private record Replica(String name, int port, int managementPort, Map<String, String> env, Process process) {
        URI url() {
            return URI.create("http://localhost:" + port);
        }

        URI managementUrl() {
            return URI.create("http://localhost:" + managementPort);
        }
    }

    /**
     * How the replicas' JVMs start and what they are configured with beyond the cluster's own settings.
     *
     * @param jvmArgs options before {@code -jar}
     * @param env environment variables added to (or overriding) the cluster's
     * @param databaseSettings PostgreSQL settings over the embedded server's (which turns fsync off)
     */
    public record Launch(List<String> jvmArgs, Map<String, String> env, Map<String, String> databaseSettings) {
        /** C1 only and the serial collector: a replica starts in about half the time, which counts with three on a small machine. */
        public static final Launch TEST = new Launch(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Map.of(), Map.of());
        /** Commits flushed to disk before they are acknowledged, as in production. */
        public static final Map<String, String> DURABLE = Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");
    }

    private ReplicaCluster(Path dataDirectory, int databasePort, Launch launch, Path jar) {
        this.dataDirectory = dataDirectory;
        this.databasePort = databasePort;
        this.replicaLaunch = launch;
        this.jar = jar;
    }

    /** Starts PostgreSQL and one replica per name, in parallel, and returns when every one is ready. */
    public static ReplicaCluster start(String... names) {
        return start(Launch.TEST, names);
    }

    /** As {@link #start(String...)}, with the replicas' JVMs and settings as given. */
    public static ReplicaCluster start(Launch launch, String... names) {
        Path jar = Path.of(System.getProperty("leadrouter.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run the replica tests with ./mvnw verify (after package)");
        }
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("leadrouter-cluster-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReplicaCluster cluster = new ReplicaCluster(dataDirectory, freePort(), launch, jar);
        cluster.startDatabase();
        Runtime.getRuntime().addShutdownHook(cluster.killOnExit);
        try {
            for (String name : names) {
                cluster.launch(name, freePort(), freePort(), Map.of());
            }
            for (String name : names) {
                cluster.awaitReady(name);
            }
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    public synchronized URI url(String name) {
        return replica(name).url();
    }

    /** Where the replica answers health and metrics. */
    public synchronized URI managementUrl(String name) {
        return replica(name).managementUrl();
    }

    public synchronized List<String> names() {
        return List.copyOf(replicas.keySet());
    }

    /** The suite's PostgreSQL, for checks the API cannot make. */
    public DataSource database() {
        return postgres.getPostgresDatabase();
    }

    /** The JDBC URL of the cluster's PostgreSQL (user and password {@code postgres}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + databasePort + "/postgres";
    }

    /** The process id of a running replica, for the memory it holds. */
    public long pid(String name) {
        return replica(name).process().pid();
    }

    /** Stops PostgreSQL (fast shutdown: open sessions are cut) and starts it again on the same data and port. */
    public void restartDatabase() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL", e);
        }
        startDatabase();
    }

    /**
     * Crashes PostgreSQL as {@code pg_ctl stop -m immediate} does (SIGQUIT to the postmaster: every backend quits at once,
     * nothing is checkpointed), then starts it on the same data, where it recovers from the WAL.
     */
    public void crashDatabase() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            signal("QUIT", postmaster);
            ProcessHandle.of(postmaster).ifPresent(process -> process.onExit().join());
            // the server is gone: this only lets go of the data directory's lock (its pg_ctl stop fails, and says so)
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not crash PostgreSQL", e);
        }
        startDatabase();
    }

    /**
     * Freezes the replica (SIGSTOP) for the given time, as a long GC pause or a suspended VM would, then lets it go on
     * (SIGCONT). Frozen past the replica timeout, the others reap it.
     */
    public void freeze(String name, Duration frozen) {
        long pid = replica(name).process().pid();
        signal("STOP", pid);
        try {
            Thread.sleep(frozen.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            signal("CONT", pid);
        }
    }

    private static void signal(String signal, long pid) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ends the replica with SIGKILL, as a crash or the OOM killer would, and returns its exit code (137). */
    public int kill(String name) {
        Process process = replica(name).process();
        process.destroyForcibly();
        return awaitExit(name, process);
    }

    /** Asks the replica to stop with SIGTERM, as Kubernetes does, and returns its exit code once it has stopped. */
    public int terminate(String name) {
        Process process = replica(name).process();
        if (!process.supportsNormalTermination()) {
            throw new IllegalStateException("This platform cannot send SIGTERM; destroy() would kill " + name);
        }
        process.destroy();
        return awaitExit(name, process);
    }

    /** Stops the replica (SIGTERM) if it runs and starts it again on the same port. */
    public void restart(String name) {
        Replica replica = replica(name);
        if (replica.process().isAlive()) {
            terminate(name);
        }
        launch(name, replica.port(), replica.managementPort(), replica.env());
        awaitReady(name);
    }

    /** Starts one more replica with settings of its own over the cluster's, and returns when it is ready. */
    public void add(String name, Map<String, String> env) {
        launch(name, freePort(), freePort(), env);
        awaitReady(name);
    }

    /** Kills a replica {@link #add added} for one test and forgets it: the cluster's names are as before. */
    public void remove(String name) {
        kill(name);
        synchronized (this) {
            replicas.remove(name);
        }
    }

    public boolean isAlive(String name) {
        return replica(name).process().isAlive();
    }

    @Override
    public void close() {
        killAll();
        try {
            postgres.close();
            deleteDataDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run: nothing left to undo
            }
        }
    }

    private void startDatabase() {
        try {
            // the data directory outlives a stop so that a restart finds every committed row; three replicas hold up to 3 x 22 connections
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                    .setPort(databasePort).setServerConfig("max_connections", "200");
            replicaLaunch.databaseSettings().forEach(builder::setServerConfig);
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL", e);
        }
    }

    private void deleteDataDirectory() throws IOException {
        try (var paths = Files.walk(dataDirectory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private synchronized void killAll() {
        for (Replica replica : replicas.values()) {
            replica.process().descendants().forEach(ProcessHandle::destroyForcibly);
            replica.process().destroyForcibly();
        }
        for (Replica replica : replicas.values()) {
            replica.process().onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(timeout -> null).join();
        }
    }

    private synchronized Replica replica(String name) {
        Replica replica = replicas.get(name);
        if (replica == null) {
            throw new IllegalArgumentException("No replica " + name + "; there are " + replicas.keySet());
        }
        return replica;
    }

    private synchronized void launch(String name, int port, int managementPort, Map<String, String> replicaEnv) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(replicaLaunch.jvmArgs());
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        // the replicas are configured here alone, whatever the build's environment says (CI sets QUARKUS_DATASOURCE_*)
        env.keySet().removeIf(key -> key.startsWith("QUARKUS_") || key.startsWith("LEADROUTER_"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + databasePort + "/postgres");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        // zonky's server: superuser postgres, database postgres, trust authentication (any password)
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("LEADROUTER_API_KEYS", API_KEY);
        // the load harness posts far more than a CRM a minute, all with this one key
        env.put("LEADROUTER_LIMITS_REQUESTS_PER_KEY", "100000000");
        // one secret for all: a token issued by any replica opens a socket on any other
        env.put("LEADROUTER_TOKEN_SECRET", "replica-secret");
        env.put("LEADROUTER_OFFER_TIMEOUT", OFFER_TIMEOUT.toMillis() + "ms");
        env.put("LEADROUTER_PRESENCE_GRACE", PRESENCE_GRACE.toMillis() + "ms");
        env.put("LEADROUTER_SWEEP_INTERVAL", SWEEP_INTERVAL.toMillis() + "ms");
        // webhook receivers of the tests are on loopback; a killed replica's lease lapses within WEBHOOK_LEASE
        // the tests and the harness post leads to teams of their own making, some before any rep joins them
        env.put("LEADROUTER_ALLOW_NEW_TEAMS", "true");
        env.put("LEADROUTER_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
        env.put("LEADROUTER_WEBHOOKS_LEASE", WEBHOOK_LEASE.toMillis() + "ms");
        env.put("LEADROUTER_WEBHOOKS_RETRY_SCHEDULE", "200ms,400ms,800ms,1s,1s,1s,1s,1s");
        env.putAll(replicaLaunch.env());
        env.putAll(replicaEnv);
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + ".log");
            // a restarted replica appends, so the log tells its whole story
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            replicas.put(name, new Replica(name, port, managementPort, replicaEnv, builder.start()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start replica " + name, e);
        }
    }

    /** Ready when its health check says so. */
    private void awaitReady(String name) {
        Replica replica = replica(name);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!replica.process().isAlive()) {
                throw new IllegalStateException("Replica " + name + " exited with " + replica.process().exitValue()
                        + " while starting; see " + LOGS.resolve(name + ".log"));
            }
            if (status(replica.managementUrl().resolve("/q/health/ready")) == 200) {
                return;
            }
            try {
                replica.process().waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Replica " + name + " was not ready within " + START_TIMEOUT + "; see "
                + LOGS.resolve(name + ".log"));
    }

    /** The HTTP status of a GET, or -1 while nothing listens. */
    private static int status(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListeningYet) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int awaitExit(String name, Process process) {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return process.exitValue();
        } catch (TimeoutException e) {
            throw new AssertionError("Replica " + name + " did not exit within " + STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
