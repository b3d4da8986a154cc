package io.leadrouter.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.leadrouter.replica.ReplicaCluster;

/**
 * Load harness against Lead Router over its public contract: reps set up over REST and connected over
 * {@code /ws/agent}, leads posted at a constant arrival rate (open model), latencies in HdrHistograms. It loads
 * running replicas ({@code --url}), or starts its own ({@code --cluster N}: an embedded PostgreSQL and N processes of
 * the packaged service), which chaos mode then kills and restarts. Exits 1 when an invariant check fails.
 */
public final class LoadHarness {

    static final int BATCH_SIZE = 1_000;
    static final int BATCHES_IN_FLIGHT = 4;
    /** Set-up calls (tokens) and socket handshakes open at once. */
    private static final int SET_UP_IN_FLIGHT = 64;
    /** Reps to a roster call. */
    private static final int ROSTER_CALL = 5_000;
    /** How long an intake is retried, under chaos, before the harness gives the lead up as never acknowledged. */
    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

    private final BenchOptions options;
    private final ReplicaCluster cluster;
    private final List<URI> urls;
    private final BenchDatabase database;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final String teamPrefix = "bench-" + runId;
    private final String keyPrefix = "bench-" + runId + "-";
    private final List<String> teams;
    private final BenchRun run = new BenchRun();
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final AtomicInteger nextReplica = new AtomicInteger();
    private final AtomicLong leadNumber = new AtomicLong();

    private LoadHarness(BenchOptions options, ReplicaCluster cluster) {
        this.options = options;
        this.cluster = cluster;
        this.urls = cluster == null ? options.urls() : cluster.names().stream().map(cluster::url).toList();
        String jdbcUrl = cluster == null ? options.db() : cluster.jdbcUrl() + "?user=postgres&password=postgres";
        this.database = jdbcUrl == null ? null : new BenchDatabase(jdbcUrl);
        int teamCount = options.teamSize() == 0 ? 1 : (options.reps() + options.teamSize() - 1) / options.teamSize();
        this.teams = teamCount == 1 ? List.of(teamPrefix) : IntStream.range(0, teamCount).mapToObj(t -> teamPrefix + "-t" + t).toList();
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        ReplicaCluster cluster = null;
        int violations;
        try {
            if (options.cluster() > 0) {
                System.err.printf("starting PostgreSQL and %d replicas (%s), logs in target/replicas/%n", options.cluster(),
                        String.join(" ", options.replicaJvm()));
                cluster = ReplicaCluster.start(new ReplicaCluster.Launch(options.replicaJvm(), Map.of(), ReplicaCluster.Launch.DURABLE),
                        IntStream.rangeClosed(1, options.cluster()).mapToObj(i -> "bench-r" + i).toArray(String[]::new));
            }
            LoadHarness harness = new LoadHarness(options, cluster);
            try {
                violations = harness.runBench();
            } finally {
                harness.timers.shutdownNow();
                harness.httpThreads.shutdownNow();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        // exec:java waits for non-daemon threads such as the HttpClient's selector: end the JVM here
        System.exit(violations == 0 ? 0 : 1);
    }

    /** Runs the whole benchmark and returns the number of invariant violations found after it. */
    private int runBench() throws Exception {
        System.err.printf("run %s: %d reps in %d team(s) on %s, %.0f leads/s for %s%s%s%n", runId, options.reps(), teams.size(),
                urls, options.rate(), options.duration(), options.pull() ? ", PULL mode" : "", options.chaos() ? ", CHAOS" : "");
        BenchReport report = new BenchReport(runId, options, urls, Machine.describe(database));
        System.err.println(Machine.line(report.machine));
        // before the run, so that a missing Node or a failed npm ci under --peers on stops it at once, not after the load
        Peers peers = Peers.prepare(options.peers(), database != null);
        report.ceiling = Ceiling.measure(database, options.pgbench(), options.ceiling());
        List<BenchRep> reps = setUpReps(report);
        JsonNode policyInForce = mapper.readTree(call("GET", "/api/v1/routing/policy", null)).path("policy");
        if (options.pull()) {
            // the bench teams added to the policy in force, so other teams route as before; pullAbove's lowest value
            ObjectNode pullPolicy = policyInForce.deepCopy();
            ObjectNode teamPolicies = pullPolicy.has("teams") ? (ObjectNode) pullPolicy.get("teams") : pullPolicy.putObject("teams");
            teams.forEach(team -> teamPolicies.putObject(team).putObject("mode").put("pullAbove", 0.1).put("pushBelow", 0.0));
            call("PUT", "/api/v1/routing/policy", pullPolicy);
        }
        try {
            report.connect = connect(reps);
            reps.forEach(BenchRep::pullIfRoom);
            if (!options.warmup().isZero()) {
                System.err.printf("warming up for %s%n", options.warmup());
                postLeads(options.warmup(), false);
                run.reset();
            }
            if (options.queued() > 0) {
                report.batch = queueByBatch();
            }
            Chaos chaos = options.chaos() ? Chaos.start(cluster, reps, options.duration()) : null;
            long pullsBefore = run.pullToAssigned.count();
            report.intake = postLeads(options.duration(), false);
            report.pullsDuringIntake = run.pullToAssigned.count() - pullsBefore;
            if (chaos != null) {
                report.faults = chaos.awaitDone();
            }
            System.err.printf("intake over; waiting %s for offers and assignments to settle%n", options.drain());
            Thread.sleep(options.drain().toMillis());
            if (cluster != null) {
                report.memory = ReplicaMemory.measure(cluster, cluster.names().get(0), http);
            }
            report.unrouted = run.leadsUnrouted();
            CompletableFuture.allOf(reps.stream().map(BenchRep::close).toArray(CompletableFuture[]::new))
                    .orTimeout(5, TimeUnit.SECONDS).exceptionally(error -> null).join();
            if (options.closedLoop() > 0) {
                // with the reps gone (a closed socket is out of routing at once) this is intake alone, as a job queue's enqueue
                System.err.printf("single intake, closed loop: %d in flight for %s, no rep connected%n", options.closedLoop(),
                        options.duration());
                report.closedLoop = postLeads(options.duration(), true);
            }
            if (database != null) {
                recordRequeueLateness();
                report.violations = InvariantChecks.run(database, run.acknowledged, keyPrefix, teamPrefix);
            }
            if (peers.willRun()) {
                if (cluster != null) {
                    // idle replicas still sweep and heartbeat: stopped, so that the peers have the machine to themselves
                    cluster.names().forEach(cluster::terminate);
                }
                report.peers = peers.run(database, Peers.Workload.of(options, report.ceiling));
            } else {
                System.err.println("peers: skipped (" + peers.skipped() + ")");
            }
            report.peersSkipped = peers.skipped();
            report.write(run, mapper);
            return report.violations == null ? 0 : report.violations.size();
        } finally {
            if (cluster == null) {
                if (options.pull()) {
                    call("PUT", "/api/v1/routing/policy", policyInForce);
                }
                forEachAsync(reps, rep -> send("DELETE", "/api/v1/reps/" + rep.repId(), null));
            }
        }
    }

    /** Puts the roster with {@code PUT /api/v1/reps}, {@value ROSTER_CALL} reps to a call, and records how long it took. */
    private List<BenchRep> setUpReps(BenchReport report) throws Exception {
        List<BenchRep> reps = new ArrayList<>();
        for (int i = 0; i < options.reps(); i++) {
            reps.add(new BenchRep(teamPrefix + "-rep-" + i, options, run, mapper, timers, http, this::nextReplica));
        }
        long start = System.nanoTime();
        for (int from = 0; from < reps.size(); from += ROSTER_CALL) {
            ArrayNode roster = mapper.createArrayNode();
            for (int i = from; i < Math.min(reps.size(), from + ROSTER_CALL); i++) {
                ObjectNode rep = roster.addObject().put("id", reps.get(i).repId()).put("name", "Bench rep " + i)
                        .put("team", teams.get(i % teams.size())).put("maxLoad", BenchRep.MAX_LOAD);
                if (options.dayCap() > 0) {
                    rep.putObject("caps").put("day", options.dayCap());
                }
            }
            JsonNode stored = json(call("PUT", "/api/v1/reps", roster));
            if (stored.path("errors").asInt() > 0) {
                throw new IllegalStateException("The roster was refused in part: " + stored);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("%d reps set up in %.2f s (PUT /api/v1/reps, %d to a call)%n", reps.size(), seconds, ROSTER_CALL);
        report.roster = Map.of("reps", reps.size(), "seconds", seconds);
        return reps;
    }

    /** Connects every rep (handshakes {@value SET_UP_IN_FLIGHT} at a time) and returns how fast they came in. */
    private Map<String, Object> connect(List<BenchRep> reps) throws Exception {
        long start = System.nanoTime();
        forEachAsync(reps, rep -> send("POST", "/api/v1/reps/" + rep.repId() + "/tokens", null)
                .thenCompose(body -> rep.connect(json(body).path("token").asText())));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("%d reps welcomed in %.1f s (%.0f reps/s, token and handshake each)%n", reps.size(), seconds,
                reps.size() / seconds);
        return Map.of("reps", reps.size(), "seconds", seconds, "repsPerSecond", reps.size() / seconds);
    }

    /**
     * Puts {@code --queued} leads in the queue by batches of 1,000, {@value BATCHES_IN_FLIGHT} at a time, as fast as
     * the service takes them (a closed model: this measures batch throughput, and fills the queue the pulls read).
     */
    private Map<String, Object> queueByBatch() throws Exception {
        int batches = (options.queued() + BATCH_SIZE - 1) / BATCH_SIZE;
        AtomicInteger created = new AtomicInteger();
        long start = System.nanoTime();
        forEachAsync(IntStream.range(0, batches).boxed().toList(), BATCHES_IN_FLIGHT, b -> {
            ArrayNode leads = mapper.createArrayNode();
            int size = Math.min(BATCH_SIZE, options.queued() - b * BATCH_SIZE);
            for (int i = 0; i < size; i++) {
                leads.addObject().put("company", "Queued " + b + "-" + i).put("team", teams.get(i % teams.size())).put("value", 1000);
            }
            String key = keyPrefix + "q" + b;
            long sent = System.nanoTime();
            return http.sendAsync(request(nextReplica(), "/api/v1/leads/batch").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(leads.toString())).build(), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        run.batchIntake.recordNanos(System.nanoTime() - sent);
                        if (response.statusCode() / 100 != 2) {
                            run.count("batch errors: HTTP " + response.statusCode());
                            return;
                        }
                        for (JsonNode result : json(response.body()).path("results")) {
                            if ("CREATED".equals(result.path("outcome").asText())) {
                                created.incrementAndGet();
                                run.acknowledged.put(key + "#" + result.path("index").asInt(), result.path("lead").path("id").asText());
                            }
                        }
                    });
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("batch intake: %d leads queued in %.1f s = %.0f leads/s%n", created.get(), seconds, created.get() / seconds);
        return Map.of("leads", created.get(), "seconds", seconds, "leadsPerSecond", created.get() / seconds);
    }

    /**
     * Open model (the warm-up and the measured intake): request i is due at start + i / rate whatever happened to the
     * ones before it; its latency counts from that intended time, so a stalled server shows in the figures instead of
     * slowing the harness down (no coordinated omission). At most {@code maxInFlight} requests are open; waiting for a
     * slot is part of the latency.
     * <p>
     * Closed model ({@code closedLoop}, the phase after the reps left): {@code --closed-loop} requests open at once, each
     * slot sending again as soon as its answer is in, as a job queue's enqueue is measured; latency from the send.
     * <p>
     * Under chaos a failed request is sent again, with the same Idempotency-Key, to the next replica, as a CRM retries.
     */
    private Map<String, Object> postLeads(Duration duration, boolean closedLoop) throws Exception {
        int slots = closedLoop ? options.closedLoop() : options.maxInFlight();
        Latency latency = closedLoop ? run.intakeClosedLoop : run.intake;
        // the closed loop counts apart: the open intake's figures and its error count stay what they were
        String counter = closedLoop ? "closed-loop " : "";
        Semaphore inFlight = new Semaphore(slots);
        long intervalNanos = closedLoop ? 0 : (long) (1_000_000_000L / options.rate());
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        for (long intended = start; intended < end; intended = start + ++sent * intervalNanos) {
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            long due = closedLoop ? System.nanoTime() : intended;
            if (due >= end) {
                inFlight.release();
                break;
            }
            // numbered across the warm-up and the run: every lead has a key of its own
            long number = leadNumber.getAndIncrement();
            String key = keyPrefix + number;
            String body = "{\"company\":\"Bench " + number + "\",\"team\":\"" + teams.get((int) (number % teams.size())) + "\",\"value\":1000}";
            postLead(key, body, due).whenComplete((response, error) -> {
                long now = System.nanoTime();
                latency.recordNanos(now - due);
                try {
                    if (error != null) {
                        run.count(counter + "intake errors: " + error.getClass().getSimpleName());
                    } else if (response.statusCode() == 200 && options.chaos()) {
                        // a retry found the lead its lost first attempt had committed: acknowledged, as the same lead
                        run.count(counter + "intakes replayed on retry");
                        run.acknowledged.put(key, json(response.body()).path("id").asText());
                    } else if (response.statusCode() != 201) {
                        run.count(counter + "intake errors: HTTP " + response.statusCode());
                    } else {
                        String leadId = json(response.body()).path("id").asText();
                        run.count(counter + "leads created");
                        run.acknowledged.put(key, leadId);
                        if (!closedLoop) {
                            // the replica that answered, after any retry
                            URI replica = URI.create(response.uri().getScheme() + "://" + response.uri().getRawAuthority());
                            run.leadCommitted(leadId, now, replica);
                        }
                    }
                } finally {
                    // released last: once every slot is back, the counts are complete
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(slots);
        double seconds = (System.nanoTime() - start) / 1e9;
        long created = run.counted(counter + "leads created");
        return Map.of("sent", sent, "created", created, "seconds", seconds, "leadsPerSecond", created / seconds);
    }

    private CompletableFuture<HttpResponse<String>> postLead(String key, String body, long due) {
        return http.sendAsync(request(nextReplica(), "/api/v1/leads").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    boolean failed = error != null || response.statusCode() >= 500;
                    if (failed && options.chaos() && System.nanoTime() - due < RETRY_FOR.toNanos()) {
                        run.count("intake retries");
                        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> postLead(key, body, due));
                    }
                    return error != null ? CompletableFuture.<HttpResponse<String>> failedFuture(error)
                            : CompletableFuture.completedFuture(response);
                }).thenCompose(next -> next);
    }

    /** Requeue lateness from the database: how long after its deadline each expired offer of the run was resolved. */
    private void recordRequeueLateness() {
        for (Map<String, Object> row : database.rows("""
                SELECT (extract(epoch FROM o.resolved_at - o.expires_at) * 1000000)::bigint AS late_micros
                FROM offer o JOIN lead l ON l.id = o.lead_id WHERE l.team LIKE ? AND o.state = 'EXPIRED'
                """, teamPrefix + "%")) {
            run.requeueLateness.recordNanos(((Number) row.get("late_micros")).longValue() * 1_000);
        }
    }

    private URI nextReplica() {
        return urls.get(Math.floorMod(nextReplica.getAndIncrement(), urls.size()));
    }

    private <T> void forEachAsync(List<T> items, Function<T, CompletableFuture<?>> action) throws Exception {
        forEachAsync(items, SET_UP_IN_FLIGHT, action);
    }

    /** Runs the action on every item, at most {@code inFlight} at once, and fails if any failed. */
    private <T> void forEachAsync(List<T> items, int inFlight, Function<T, CompletableFuture<?>> action)
            throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (T item : items) {
            slots.acquire();
            all.add(action.apply(item).whenComplete((result, error) -> slots.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    /** A set-up call to any replica: anything but 2xx fails it. */
    private CompletableFuture<String> send(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request(nextReplica(), path).method(method, publisher).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
                    }
                    return response.body();
                });
    }

    private String call(String method, String path, Object body) throws Exception {
        return send(method, path, body).get(30, TimeUnit.SECONDS);
    }

    private HttpRequest.Builder request(URI replica, String path) {
        return HttpRequest.newBuilder(URI.create(replica + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + options.key()).header("Content-Type", "application/json");
    }

    private JsonNode json(String body) {
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
