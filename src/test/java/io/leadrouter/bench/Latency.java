package io.leadrouter.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** One measured latency, recorded in microseconds from any thread. */
final class Latency {

    final String name;
    final String measures;
    final String target;
    private final Histogram histogram = new ConcurrentHistogram(3_600_000_000L, 3);

    Latency(String name, String measures, String target) {
        this.name = name;
        this.measures = measures;
        this.target = target;
    }

    void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, nanos) / 1_000);
    }

    /** Forgets what was recorded (after the warm-up). */
    void reset() {
        histogram.reset();
    }

    long count() {
        return histogram.getTotalCount();
    }

    double millisAt(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    double maxMillis() {
        return histogram.getMaxValue() / 1_000.0;
    }

    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("measures", measures);
        summary.put("target", target);
        summary.put("count", count());
        summary.put("p50Ms", millisAt(50));
        summary.put("p95Ms", millisAt(95));
        summary.put("p99Ms", millisAt(99));
        summary.put("p999Ms", millisAt(99.9));
        summary.put("maxMs", maxMillis());
        return summary;
    }
}
