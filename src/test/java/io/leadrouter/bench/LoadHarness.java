package io.leadrouter.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Load harness against a running Lead Router over its public contract: reps set up over REST and connected over
 * {@code /ws/agent}, leads posted at a constant arrival rate (open model), latencies in HdrHistograms.
 */
public final class LoadHarness {

    private final BenchOptions options;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final String team = "bench-" + runId;
    private final BenchRun run = new BenchRun();
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

    private LoadHarness(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        LoadHarness harness = new LoadHarness(BenchOptions.parse(args));
        try {
            harness.runBench();
        } finally {
            harness.timers.shutdownNow();
            harness.httpThreads.shutdownNow();
        }
        // exec:java waits for non-daemon threads such as the HttpClient's selector: end the JVM here
        System.exit(0);
    }

    private void runBench() throws Exception {
        System.err.printf("run %s: %d reps in team %s, %.0f leads/s for %s%s%n", runId, options.reps(), team, options.rate(),
                options.duration(), options.pull() ? ", PULL mode" : "");
        List<BenchRep> reps = setUpReps();
        JsonNode policyInForce = mapper.readTree(call("GET", "/api/v1/routing/policy", null)).path("policy");
        if (options.pull()) {
            // the bench team added to the policy in force, so other teams route as before; pullAbove's lowest value
            ObjectNode pullPolicy = policyInForce.deepCopy();
            ObjectNode teams = pullPolicy.has("teams") ? (ObjectNode) pullPolicy.get("teams") : pullPolicy.putObject("teams");
            teams.putObject(team).putObject("mode").put("pullAbove", 0.1).put("pushBelow", 0.0);
            putPolicy(pullPolicy);
        }
        try {
            connect(reps);
            reps.forEach(BenchRep::pullIfRoom);
            IntakeResult intake = postLeads();
            System.err.printf("intake over; waiting up to %s for offers and assignments to settle%n", options.drain());
            Thread.sleep(options.drain().toMillis());
            report(intake);
        } finally {
            CompletableFuture.allOf(reps.stream().map(BenchRep::close).toArray(CompletableFuture[]::new))
                    .orTimeout(5, TimeUnit.SECONDS).exceptionally(error -> null).join();
            if (options.pull()) {
                putPolicy(policyInForce);
            }
            for (BenchRep rep : reps) {
                call("DELETE", "/api/v1/reps/" + rep.repId(), null);
            }
        }
    }

    private List<BenchRep> setUpReps() throws Exception {
        List<BenchRep> reps = new ArrayList<>();
        for (int i = 0; i < options.reps(); i++) {
            String repId = team + "-rep-" + i;
            call("PUT", "/api/v1/reps/" + repId,
                    Map.of("name", "Bench rep " + i, "team", team, "maxLoad", BenchRep.MAX_LOAD));
            reps.add(new BenchRep(repId, options, run, mapper, timers));
        }
        return reps;
    }

    private void connect(List<BenchRep> reps) throws Exception {
        List<CompletableFuture<Void>> welcomes = new ArrayList<>();
        for (BenchRep rep : reps) {
            String token = mapper.readTree(call("POST", "/api/v1/reps/" + rep.repId() + "/tokens", null)).path("token").asText();
            welcomes.add(rep.connect(http, token));
        }
        CompletableFuture.allOf(welcomes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        System.err.printf("%d reps welcomed%n", reps.size());
    }

    private void putPolicy(JsonNode policy) throws Exception {
        call("PUT", "/api/v1/routing/policy", policy);
    }

    /** A set-up call: anything but 2xx ends the run. */
    private String call(String method, String path, Object body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body));
        HttpResponse<String> response = http.send(request(path).method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(options.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + options.key()).header("Content-Type", "application/json");
    }

    record IntakeResult(long sent, double seconds) {
    }

    /**
     * Request i is due at start + i / rate whatever happened to the ones before it; its latency counts from that
     * intended time, so a stalled server shows in the figures instead of slowing the harness down (no coordinated
     * omission). At most {@code maxInFlight} requests are open; waiting for a slot is part of the latency.
     */
    private IntakeResult postLeads() throws Exception {
        Semaphore inFlight = new Semaphore(options.maxInFlight());
        long intervalNanos = (long) (1_000_000_000L / options.rate());
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long sent = 0;
        for (long intended = start; intended < end; intended = start + ++sent * intervalNanos) {
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            long due = intended;
            String body = "{\"company\":\"Bench " + sent + "\",\"team\":\"" + team + "\",\"value\":1000}";
            http.sendAsync(request("/api/v1/leads").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                        long now = System.nanoTime();
                        inFlight.release();
                        run.intake.recordNanos(now - due);
                        if (error != null) {
                            run.count("intake errors: " + error.getClass().getSimpleName());
                        } else if (response.statusCode() != 201) {
                            run.count("intake errors: HTTP " + response.statusCode());
                        } else {
                            run.count("leads created");
                            run.leadCommitted(leadId(response.body()), now);
                        }
                    });
        }
        inFlight.acquire(options.maxInFlight());
        return new IntakeResult(sent, (System.nanoTime() - start) / 1e9);
    }

    private String leadId(String body) {
        try {
            return mapper.readTree(body).path("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException("a 201 without a lead: " + body, e);
        }
    }

    private void report(IntakeResult intake) throws Exception {
        long created = run.counted("leads created");
        double throughput = created / intake.seconds();
        long errors = run.counterValues().entrySet().stream().filter(e -> e.getKey().startsWith("intake errors"))
                .mapToLong(Map.Entry::getValue).sum();
        String hardware = String.format("%d cores, max heap %d MiB, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.version());

        StringBuilder table = new StringBuilder();
        table.append(String.format("Harness: %s%n", hardware));
        table.append(String.format("Run %s against %s: %d reps, target %.0f leads/s for %s, think %s, work %s, decline %.2f, ignore %.2f%s%n%n",
                runId, options.url(), options.reps(), options.rate(), options.duration(), options.think(), options.work(),
                options.decline(), options.ignore(), options.pull() ? ", PULL" : ""));
        table.append("| measure | count | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | target |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Latency latency : run.latencies()) {
            table.append(String.format("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", latency.name, latency.count(),
                    latency.millisAt(50), latency.millisAt(95), latency.millisAt(99), latency.millisAt(99.9), latency.maxMillis(),
                    latency.target));
        }
        table.append(String.format("%nIntake: %d sent, %d created, %d errors in %.1f s = %.1f leads/s created (target %.0f)%n",
                intake.sent(), created, errors, intake.seconds(), throughput, options.rate()));
        table.append(String.format("Leads created that no rep was offered or pulled by the end of the drain: %d%n", run.leadsUnrouted()));
        table.append("Counters: ").append(run.counterValues()).append('\n');
        System.out.print(table);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("runId", runId);
        report.put("finishedAt", Instant.now().toString());
        report.put("hardware", hardware);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("url", options.url().toString());
        settings.put("reps", options.reps());
        settings.put("rate", options.rate());
        settings.put("duration", options.duration().toString());
        settings.put("think", options.think().toString());
        settings.put("work", options.work().toString());
        settings.put("decline", options.decline());
        settings.put("ignore", options.ignore());
        settings.put("pull", options.pull());
        settings.put("maxInFlight", options.maxInFlight());
        report.put("settings", settings);
        Map<String, Object> latencies = new LinkedHashMap<>();
        run.latencies().forEach(latency -> latencies.put(latency.name, latency.summary()));
        report.put("latencies", latencies);
        report.put("intake", Map.of("sent", intake.sent(), "created", created, "errors", errors, "seconds", intake.seconds(),
                "leadsPerSecond", throughput));
        report.put("leadsUnrouted", run.leadsUnrouted());
        report.put("counters", run.counterValues());
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        mapper.writeValue(options.out().toFile(), report);
        System.err.println("report written to " + options.out());
    }
}
