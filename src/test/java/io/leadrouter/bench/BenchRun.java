package io.leadrouter.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What one run measures and counts, shared by the intake and every rep. */
final class BenchRun {

    final Latency intake = new Latency("intake", "POST /api/v1/leads, from its intended send time to the response",
            "p99 <= 50 ms at >= 1000 leads/s");
    final Latency leadToOffer = new Latency("lead → offer",
            "201 received for a lead to its first offer frame at a rep's socket", "p99 <= 50 ms");
    final Latency acceptRoundTrip = new Latency("accept round trip", "accept frame sent to the assigned frame", "");
    final Latency pullToAssigned = new Latency("pull → assigned", "pull frame sent to the assigned frame (PULL mode)",
            "p99 <= 25 ms with 100k queued");
    final Latency batchIntake = new Latency("batch intake (1,000 leads)",
            "POST /api/v1/leads/batch of 1,000 leads, sent to answered", ">= 10,000 leads/s");
    final Latency requeueLateness = new Latency("requeue lateness",
            "an expired offer's resolved_at minus its expires_at, from the database", "p99 <= 1 s");

    /** The client's log of acknowledged intakes: Idempotency-Key to the lead id the service answered with. */
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();

    final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** Leads created and not yet offered: nanoTime of their 201. */
    private final Map<String, Long> committedAt = new HashMap<>();
    /** First offers that reached a rep before the harness had the lead's 201: nanoTime of the offer. */
    private final Map<String, Long> offeredEarly = new HashMap<>();
    private final Set<String> offeredOnce = new HashSet<>();

    void count(String counter) {
        counters.computeIfAbsent(counter, name -> new LongAdder()).increment();
    }

    long counted(String counter) {
        LongAdder adder = counters.get(counter);
        return adder == null ? 0 : adder.sum();
    }

    // synchronized: a lead's 201 and its offer race each other from different threads
    synchronized void leadCommitted(String leadId, long nanos) {
        Long offered = offeredEarly.remove(leadId);
        if (offered == null) {
            committedAt.put(leadId, nanos);
        } else {
            // the offer overtook the 201 on its way to the harness: the latency is below what can be seen, recorded as 0
            count("offers before 201");
            leadToOffer.recordNanos(0);
        }
    }

    /** Only a lead's first offer counts; offers after a decline or an expiry are re-offers. */
    synchronized void leadOffered(String leadId, long nanos) {
        if (!offeredOnce.add(leadId)) {
            return;
        }
        Long committed = committedAt.remove(leadId);
        if (committed != null) {
            leadToOffer.recordNanos(nanos - committed);
        } else {
            offeredEarly.put(leadId, nanos);
        }
    }

    /** A pulled lead reaches its rep without an offer: it is settled, with no lead → offer figure. */
    synchronized void leadPulled(String leadId) {
        offeredOnce.add(leadId);
        committedAt.remove(leadId);
        offeredEarly.remove(leadId);
    }

    /** Leads created that no rep was offered nor pulled by the end of the run. */
    synchronized long leadsUnrouted() {
        return committedAt.size();
    }

    List<Latency> latencies() {
        return List.of(intake, batchIntake, leadToOffer, acceptRoundTrip, pullToAssigned, requeueLateness);
    }

    Map<String, Long> counterValues() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.keySet().stream().sorted().forEach(name -> values.put(name, counted(name)));
        return values;
    }
}
