package io.leadrouter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The peers in the harness: a machine without Node still runs the benchmark (the peers skipped, and said so), and the
 * report's comparison shows what was measured, the ratios, and "not measured in this run" for the rest.
 */
class PeersTest {

    private static final String NO_NODE = "/nonexistent-bin";

    @Test
    void withoutNodeTheDefaultSkipsThePeersAndSaysWhy() throws Exception {
        Peers peers = Peers.prepare(Peers.Mode.AUTO, true, NO_NODE);

        assertThat(peers.willRun()).isFalse();
        assertThat(peers.skipped()).isEqualTo("node not found");
    }

    @Test
    void peersOnWithoutNodeFailsBeforeTheLoad() {
        assertThatThrownBy(() -> Peers.prepare(Peers.Mode.ON, true, NO_NODE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node not found");
    }

    @Test
    void peersOffAndNoDatabaseAreSkipped() throws Exception {
        assertThat(Peers.prepare(Peers.Mode.OFF, true, NO_NODE).skipped()).isEqualTo("--peers off");
        assertThat(Peers.prepare(Peers.Mode.AUTO, false, NO_NODE).skipped()).isEqualTo("no database: give --cluster or --db");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] { "--peers", "on" })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs --cluster or --db");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] { "--peers", "maybe" })).hasMessageContaining("auto, on or off");
    }

    @Test
    void theComparisonGivesOursThePeersTheRatiosAndTheCeilingShare() throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] { "--cluster", "1", "--queued", "20000", "--reps", "10" });
        BenchRun run = new BenchRun();
        run.batchIntake.recordNanos(100_000_000);
        BenchReport report = new BenchReport("test", options, List.of(URI.create("http://localhost:1")), Map.of());
        report.intake = Map.of("seconds", 10.0, "leadsPerSecond", 100.0);
        report.batch = Map.of("leads", 20_000, "seconds", 2.0, "leadsPerSecond", 10_000.0);
        report.ceiling = List.of(new Ceiling.Result("durable single-row insert", Ceiling.INSERT, 16, 20_000, 0.8));
        report.peers = new Peers.Measured("v20", Peers.Workload.of(options, report.ceiling), List.of(
                result("pg-boss", "batch", 20_000, 50), result("graphile-worker", "batch", 40_000, 200),
                new Peers.Result("pg-boss", "single", null, "exited 1 (its error is above on stderr)"),
                result("graphile-worker", "single", 1_000, 60)));

        List<PeerComparison.Row> rows = PeerComparison.rows(options, report, run);
        String markdown = PeerComparison.markdown(options, report, rows);

        assertThat(rows.get(0).ours().missing()).isEqualTo("not measured in this run (--closed-loop 64)");
        assertThat(rows.get(2).ours().missing()).isEqualTo("not measured in this run (--pull --queued 20000)");
        assertThat(markdown)
                .contains("| batch enqueue, 1,000 per call, 4 in flight, 20,000 jobs | per second | 10,000 | 20,000 | 40,000 | 0.50 | 0.25 |")
                .contains("| | p50 / p99 / max ms | 100.03 / 100.03 / 100.03 | 25.00 / 50.00 / 60.00 | 100.00 / 200.00 / 240.00 | p99 2.00 | p99 0.50 |")
                .contains("| | of the ceiling (durable single-row insert, 20,000 tps) | 50.0 % | 100.0 % | 200.0 % | | |")
                .contains("| single enqueue, closed loop, 64 in flight | per second | not measured in this run (--closed-loop 64) | "
                        + "failed: exited 1 (its error is above on stderr) | 1,000 | — | — |")
                .contains("- pg-boss single failed: exited 1");
    }

    private static Peers.Result result(String peer, String operation, double perSecond, double p99Ms) throws Exception {
        String json = """
                {"peer": "%s", "version": "1.0", "operation": "%s", "perSecond": %s,
                 "latency": {"p50Ms": %s, "p99Ms": %s, "maxMs": %s}}""".formatted(peer, operation, perSecond, p99Ms / 2, p99Ms, p99Ms * 1.2);
        return new Peers.Result(peer, operation, new ObjectMapper().readTree(json), null);
    }
}
