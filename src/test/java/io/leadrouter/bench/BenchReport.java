package io.leadrouter.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** One run's results, written as Markdown (also to stdout) and as JSON beside it. */
final class BenchReport {

    private final String runId;
    private final BenchOptions options;
    private final List<URI> urls;
    final Map<String, Object> machine;
    List<Ceiling.Result> ceiling = List.of();
    Map<String, Object> roster;
    Map<String, Object> connect;
    Map<String, Object> batch;
    Map<String, Object> intake;
    /** Pulls assigned while the measured intake ran: the pull rate's numerator. */
    long pullsDuringIntake;
    /** The single intake's closed-loop phase ({@code --closed-loop}), null when there was none. */
    Map<String, Object> closedLoop;
    /** The peers' scripts and their results, null when they did not run; then {@link #peersSkipped} says why. */
    Peers.Measured peers;
    String peersSkipped;
    List<String> faults;
    Map<String, Object> memory;
    long unrouted;
    /** Null when no database was given: nothing was checked. */
    List<InvariantChecks.Violation> violations;

    BenchReport(String runId, BenchOptions options, List<URI> urls, Map<String, Object> machine) {
        this.runId = runId;
        this.options = options;
        this.urls = urls;
        this.machine = machine;
    }

    void write(BenchRun run, ObjectMapper mapper) throws Exception {
        double intakeSeconds = ((Number) intake.get("seconds")).doubleValue();
        double intakeRate = ((Number) intake.get("leadsPerSecond")).doubleValue();
        double pullRate = pullsDuringIntake / intakeSeconds;
        StringBuilder md = new StringBuilder();
        md.append(String.format("# Lead Router benchmark, run %s (%s)%n%n", runId, Instant.now()));
        md.append("Machine: ").append(Machine.line(machine)).append("\n\n");
        md.append(String.format("Load: %s; %d reps (maxLoad %d%s) in %s team(s), %.0f leads/s for %s, think %s, work %s, "
                + "decline %.2f, ignore %.2f%s%s%s%n%n", options.cluster() > 0
                        ? options.cluster() + " replica(s) started by the harness (" + String.join(" ", options.replicaJvm()) + ")"
                        : "replicas " + urls,
                options.reps(), BenchRep.MAX_LOAD, options.dayCap() > 0 ? ", day cap " + options.dayCap() : "",
                options.teamSize() == 0 ? "1" : "teams of " + options.teamSize() + ", " + (options.reps() + options.teamSize() - 1) / options.teamSize(),
                options.rate(), options.duration(), options.think(), options.work(), options.decline(), options.ignore(),
                options.pull() ? ", PULL" : "", options.queued() > 0 ? ", " + options.queued() + " leads queued first by batch" : "",
                options.chaos() ? ", CHAOS" : ""));
        md.append("| measure | count | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | target |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Latency latency : run.latencies()) {
            md.append(String.format("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", latency.name, latency.count(),
                    latency.millisAt(50), latency.millisAt(95), latency.millisAt(99), latency.millisAt(99.9), latency.maxMillis(),
                    latency.target));
        }
        md.append(String.format("%nIntake: %s sent, %s created in %.1f s = %.1f leads/s (target rate %.0f); errors %s%n",
                intake.get("sent"), intake.get("created"), intakeSeconds, intakeRate, options.rate(), errors(run)));
        if (closedLoop != null) {
            md.append(String.format("Single intake, closed loop (%d in flight, no rep connected): %s sent, %s created in %.1f s = %.1f leads/s; "
                    + "errors %d%n", options.closedLoop(), closedLoop.get("sent"), closedLoop.get("created"), closedLoop.get("seconds"),
                    closedLoop.get("leadsPerSecond"), errors(run, "closed-loop intake errors")));
        }
        if (batch != null) {
            md.append(String.format("Batch intake: %s leads in %.1f s = %.0f leads/s%n", batch.get("leads"), batch.get("seconds"),
                    batch.get("leadsPerSecond")));
        }
        md.append(String.format("Roster: %s reps set up in %.2f s (PUT /api/v1/reps)%n", roster.get("reps"), roster.get("seconds")));
        md.append(String.format("Reps connected: %s in %.1f s = %.0f reps/s (token request and WebSocket handshake each)%n",
                connect.get("reps"), connect.get("seconds"), connect.get("repsPerSecond")));
        md.append(String.format("Pulls assigned: %d during the measured intake = %.1f per second (%d in all, the batch intake and the drain "
                + "included)%n", pullsDuringIntake, pullRate, run.pullToAssigned.count()));
        md.append(String.format("Leads created that no rep was offered or pulled by the end of the drain: %d%n", unrouted));
        if (!ceiling.isEmpty()) {
            md.append("\n## PostgreSQL ceiling (pgbench on the same database, same run)\n\n");
            md.append("| script | clients | tps | avg latency ms | ours | efficiency |\n|---|---:|---:|---:|---|---:|\n");
            for (Ceiling.Result result : ceiling) {
                boolean insert = result.sql().startsWith("INSERT");
                double ours = insert ? intakeRate : pullRate;
                String oursText = insert ? String.format("intake %.1f leads/s", ours) : String.format("pull %.1f claims/s", ours);
                md.append(String.format("| %s | %d | %.0f | %.2f | %s | %.1f %% |%n", result.name(), result.clients(), result.tps(),
                        result.latencyMs(), oursText, 100 * ours / result.tps()));
                if (insert && closedLoop != null) {
                    md.append(String.format("| %s | %d | %.0f | %.2f | intake, closed loop %.1f leads/s | %.1f %% |%n", result.name(),
                            result.clients(), result.tps(), result.latencyMs(), closedLoop.get("leadsPerSecond"),
                            100 * ((Number) closedLoop.get("leadsPerSecond")).doubleValue() / result.tps()));
                }
                if (insert && batch != null) {
                    md.append(String.format("| %s | %d | %.0f | %.2f | batch %.0f leads/s | %.1f %% |%n", result.name(), result.clients(),
                            result.tps(), result.latencyMs(), batch.get("leadsPerSecond"),
                            100 * ((Number) batch.get("leadsPerSecond")).doubleValue() / result.tps()));
                }
            }
            md.append("\nEfficiency is our rate over pgbench's. At a fixed --rate below saturation it is a floor, not the service's limit.\n");
        }
        List<PeerComparison.Row> peerRows = peers == null ? null : PeerComparison.rows(options, this, run);
        if (peerRows != null) {
            md.append(PeerComparison.markdown(options, this, peerRows));
        } else {
            md.append("\n## Peers\n\npeers: skipped (").append(peersSkipped).append(")\n");
        }
        if (memory != null) {
            md.append(String.format("%n## Memory%n%nReplica %s with %d reps connected to the cluster, after a full GC: heap %.0f MiB "
                    + "(max %.0f MiB), RSS %.0f MiB%n", memory.get("replica"), options.reps(), memory.get("heapAfterGcMiB"),
                    memory.get("heapMaxMiB"), memory.get("rssMiB")));
        }
        if (faults != null) {
            md.append("\n## Chaos faults\n\n```text\n");
            faults.forEach(fault -> md.append(fault).append('\n'));
            md.append("```\n");
        }
        md.append("\n## Invariant checks\n\n");
        if (violations == null) {
            md.append("Not checked: give --db (or --cluster) for the checks in SQL.\n");
        } else if (violations.isEmpty()) {
            md.append(String.format("None broken: %d acknowledged intakes each stored exactly once with their id; one owner and at most "
                    + "one open offer per lead; loads within maxLoad and caps; nothing OFFERED past deadline + sweep.%n",
                    run.acknowledged.size()));
        } else {
            violations.forEach(violation -> md.append("- VIOLATION ").append(violation).append('\n'));
        }
        md.append("\nCounters: ").append(run.counterValues()).append('\n');
        System.out.print(md);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", runId);
        json.put("finishedAt", Instant.now().toString());
        json.put("machine", machine);
        json.put("options", options);
        json.put("replicas", urls.stream().map(URI::toString).toList());
        Map<String, Object> latencies = new LinkedHashMap<>();
        run.latencies().forEach(latency -> latencies.put(latency.name, latency.summary()));
        json.put("latencies", latencies);
        json.put("intake", intake);
        json.put("intakeErrors", errors(run));
        json.put("closedLoop", closedLoop);
        json.put("closedLoopErrors", errors(run, "closed-loop intake errors"));
        json.put("batch", batch);
        json.put("roster", roster);
        json.put("connect", connect);
        json.put("pullsDuringIntake", pullsDuringIntake);
        json.put("pullsPerSecond", pullRate);
        json.put("ceiling", ceiling);
        Map<String, Object> peerJson = new LinkedHashMap<>();
        peerJson.put("skipped", peersSkipped);
        if (peers != null) {
            peerJson.put("node", peers.node());
            peerJson.put("workload", peers.workload());
            peerJson.put("rows", PeerComparison.json(peerRows));
            peerJson.put("results", peers.results());
        }
        json.put("peers", peerJson);
        json.put("memory", memory);
        json.put("faults", faults);
        json.put("leadsUnrouted", unrouted);
        json.put("acknowledgedIntakes", run.acknowledged.size());
        json.put("violations", violations);
        json.put("counters", run.counterValues());
        Path out = options.out();
        Files.createDirectories(out.toAbsolutePath().getParent());
        mapper.writeValue(out.toFile(), json);
        String name = out.getFileName().toString();
        Path markdown = out.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".md");
        Files.writeString(markdown, md);
        System.err.println("report written to " + markdown + " and " + out);
    }

    private static long errors(BenchRun run) {
        return errors(run, "intake errors");
    }

    private static long errors(BenchRun run, String prefix) {
        return run.counterValues().entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }
}
