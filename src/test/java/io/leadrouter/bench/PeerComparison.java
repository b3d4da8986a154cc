package io.leadrouter.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The report's peers section: for each row of issue 16's table, our figure, each peer's, the ratios, and each as a share
 * of the run's pgbench ceiling.
 */
final class PeerComparison {

    /** One cell: a rate with its latency (p50, p99, max), or why there is none. */
    record Figure(Double perSecond, Double p50Ms, Double p99Ms, Double maxMs, String missing) {

        static Figure of(double perSecond, Latency latency) {
            return new Figure(perSecond, latency.millisAt(50), latency.millisAt(99), latency.maxMillis(), null);
        }

        static Figure of(Peers.Result result) {
            if (result.failure() != null) {
                return missing("failed: " + result.failure());
            }
            JsonNode figures = result.figures();
            JsonNode latency = figures.path("latency");
            return new Figure(figures.path("perSecond").asDouble(), latency.path("p50Ms").asDouble(), latency.path("p99Ms").asDouble(),
                    latency.path("maxMs").asDouble(), null);
        }

        static Figure missing(String why) {
            return new Figure(null, null, null, null, why);
        }

        boolean measured() {
            return missing == null;
        }
    }

    /**
     * One operation: what ours and the peers' measure, side by side.
     *
     * @param ceiling the pgbench script the rates are divided by, null when the run has no ceiling
     */
    record Row(String operation, Figure ours, Map<String, Figure> peers, Ceiling.Result ceiling) {
    }

    private PeerComparison() {
    }

    static List<Row> rows(BenchOptions options, BenchReport report, BenchRun run) {
        Peers.Measured measured = report.peers;
        Peers.Workload workload = measured.workload();
        Ceiling.Result insert = ceiling(report, Ceiling.INSERT);
        Ceiling.Result claim = ceiling(report, Ceiling.CLAIM);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(String.format("single enqueue, closed loop, %d in flight", workload.inFlight()),
                report.closedLoop == null ? Figure.missing("not measured in this run (--closed-loop " + workload.inFlight() + ")")
                        : Figure.of(rate(report.closedLoop, "leadsPerSecond"), run.intakeClosedLoop),
                peers(measured, "single"), insert));
        rows.add(new Row(String.format("batch enqueue, %,d per call, %d in flight, %,d jobs", workload.batch(), workload.batchesInFlight(),
                workload.jobs()),
                report.batch == null ? Figure.missing("not measured in this run (--queued " + workload.jobs() + ")")
                        : Figure.of(rate(report.batch, "leadsPerSecond"), run.batchIntake),
                peers(measured, "batch"), insert));
        boolean pulled = options.pull() && options.queued() > 0;
        rows.add(new Row(String.format("claim + complete, %d workers, %,d queued", workload.workers(), workload.depth()),
                pulled ? Figure.of(report.pullsDuringIntake / rate(report.intake, "seconds"), run.pullToAssigned)
                        : Figure.missing("not measured in this run (--pull --queued " + workload.depth() + ")"),
                peers(measured, "claim"), claim));
        return rows;
    }

    static String markdown(BenchOptions options, BenchReport report, List<Row> rows) {
        Peers.Measured measured = report.peers;
        StringBuilder md = new StringBuilder("\n## Peers: PostgreSQL job queues on the same database, same run\n\n");
        md.append(String.format("After our load, with the replicas stopped, one at a time, each in a schema of its own (`bench/peers`, Node %s, "
                + "a pool of %d connections as the service's): warm-up %s, then %s; batch enqueue by count.%n%n", measured.node(),
                Peers.POOL, measured.workload().warmup(), measured.workload().duration()));
        List<String> names = Peers.PEERS.stream().map(peer -> peer + version(measured, peer)).toList();
        md.append("| operation | | Lead Router |");
        names.forEach(name -> md.append(' ').append(name).append(" |"));
        Peers.PEERS.forEach(peer -> md.append(" ours ÷ ").append(peer).append(" |"));
        md.append("\n|---|---|---:|");
        Peers.PEERS.forEach(peer -> md.append("---:|---:|"));
        md.append('\n');
        for (Row row : rows) {
            md.append("| ").append(row.operation()).append(" | per second | ").append(rate(row.ours())).append(" |");
            Peers.PEERS.forEach(peer -> md.append(' ').append(rate(row.peers().get(peer))).append(" |"));
            Peers.PEERS.forEach(peer -> md.append(' ').append(ratio(row.ours().perSecond(), row.peers().get(peer).perSecond())).append(" |"));
            md.append("\n| | p50 / p99 / max ms | ").append(latency(row.ours())).append(" |");
            Peers.PEERS.forEach(peer -> md.append(' ').append(latency(row.peers().get(peer))).append(" |"));
            Peers.PEERS.forEach(peer -> md.append(' ').append(p99Ratio(row.ours(), row.peers().get(peer))).append(" |"));
            md.append('\n');
            if (row.ceiling() != null) {
                md.append(String.format("| | of the ceiling (%s, %,.0f tps) | %s |", row.ceiling().name(), row.ceiling().tps(),
                        share(row.ours(), row.ceiling())));
                Peers.PEERS.forEach(peer -> md.append(' ').append(share(row.peers().get(peer), row.ceiling())).append(" |"));
                Peers.PEERS.forEach(peer -> md.append(" |"));
                md.append('\n');
            }
        }
        md.append("\nA rate ratio above 1, or a p99 ratio below 1, is Lead Router ahead. Ours: single = the closed-loop phase "
                + "(`POST /api/v1/leads`, no rep connected); batch = `POST /api/v1/leads/batch` while `--queued` fills the queue, latency "
                + "per call; claim = pull → assigned during the measured intake, from `pull` sent to `assigned` received, with the close "
                + "sent after `--work` and not waited for.\n");
        notes(options, rows, measured).forEach(note -> md.append("- ").append(note).append('\n'));
        return md.toString();
    }

    /** What the reader must know to read this run's rows: measures not alike, queues that ran short, scripts that failed. */
    private static List<String> notes(BenchOptions options, List<Row> rows, Peers.Measured measured) {
        List<String> notes = new ArrayList<>();
        Row claim = rows.get(2);
        if (claim.ours().measured() && !options.work().isZero()) {
            notes.add(String.format("Our reps hold a pulled lead for --work %s and at most %d at once: %d reps pull at most %,.0f per second. "
                    + "--work 0ms closes at once, as the peers' empty task does.", options.work(), BenchRep.MAX_LOAD, options.reps(),
                    options.reps() * BenchRep.MAX_LOAD / (options.work().toNanos() / 1e9)));
        }
        if (claim.ours().measured() && options.reps() != measured.workload().workers()) {
            notes.add(String.format("Our pulls came from %d reps; the peers had %d workers (at most %d).", options.reps(),
                    measured.workload().workers(), Peers.MAX_WORKERS));
        }
        if (claim.peers().values().stream().anyMatch(Figure::measured)) {
            notes.add("graphile-worker's worker sends a job's completion without waiting for it: its claim latency is the claim and the "
                    + "task; pg-boss's is fetch() then complete(), both committed.");
        }
        for (Peers.Result result : measured.results()) {
            if (result.failure() != null) {
                notes.add(result.peer() + " " + result.operation() + " failed: " + result.failure());
            } else if (result.operation().equals("claim")) {
                JsonNode figures = result.figures();
                if (figures.path("ranDry").asBoolean() || figures.path("queuedAtEnd").asLong() < figures.path("depth").asLong()) {
                    notes.add(String.format("%s: the queue fell below %,d (%,d left at the end of %,d): it claimed faster than the "
                            + "run's claim ceiling, which sized the queue.", result.peer(), figures.path("depth").asLong(),
                            figures.path("queuedAtEnd").asLong(), figures.path("queued").asLong()));
                }
            }
        }
        return notes;
    }

    /** The section as JSON: the rows with every figure. */
    static List<Map<String, Object>> json(List<Row> rows) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("operation", row.operation());
            entry.put("leadRouter", row.ours());
            entry.put("peers", row.peers());
            entry.put("ceiling", row.ceiling() == null ? null : row.ceiling().name());
            entry.put("ceilingTps", row.ceiling() == null ? null : row.ceiling().tps());
            json.add(entry);
        }
        return json;
    }

    private static Map<String, Figure> peers(Peers.Measured measured, String operation) {
        Map<String, Figure> figures = new LinkedHashMap<>();
        for (String peer : Peers.PEERS) {
            figures.put(peer, measured.result(peer, operation).map(Figure::of).orElse(Figure.missing("not run")));
        }
        return figures;
    }

    private static Ceiling.Result ceiling(BenchReport report, String sql) {
        return report.ceiling.stream().filter(result -> result.sql().equals(sql)).findFirst().orElse(null);
    }

    private static String version(Peers.Measured measured, String peer) {
        return measured.results().stream().filter(result -> result.peer().equals(peer) && result.figures() != null)
                .map(result -> " " + result.figures().path("version").asText()).findFirst().orElse("");
    }

    private static double rate(Map<String, Object> figures, String key) {
        return ((Number) figures.get(key)).doubleValue();
    }

    private static String rate(Figure figure) {
        return figure.measured() ? String.format("%,.0f", figure.perSecond()) : figure.missing();
    }

    private static String latency(Figure figure) {
        return figure.measured() ? String.format("%.2f / %.2f / %.2f", figure.p50Ms(), figure.p99Ms(), figure.maxMs()) : "—";
    }

    private static String share(Figure figure, Ceiling.Result ceiling) {
        return figure.measured() ? String.format("%.1f %%", 100 * figure.perSecond() / ceiling.tps()) : "—";
    }

    private static String p99Ratio(Figure ours, Figure theirs) {
        String ratio = ratio(ours.p99Ms(), theirs.p99Ms());
        return ratio.equals("—") ? ratio : "p99 " + ratio;
    }

    private static String ratio(Double ours, Double theirs) {
        return Optional.ofNullable(ours).filter(value -> theirs != null && theirs > 0).map(value -> String.format("%.2f", value / theirs))
                .orElse("—");
    }
}
