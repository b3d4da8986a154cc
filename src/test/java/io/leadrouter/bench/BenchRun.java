package io.leadrouter.bench;

import java.net.URI;
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
    final Latency intakeClosedLoop = new Latency("intake, closed loop",
            "POST /api/v1/leads with --closed-loop requests open at once and no rep connected, sent to answered", "");
    final Latency leadToOffer = new Latency("lead → offer, same replica",
            "201 received for a lead to its first offer frame at a rep's socket on the replica that took the lead", "p99 <= 50 ms");
    final Latency leadToOfferAcross = new Latency("lead → offer, across replicas",
            "201 received for a lead to its first offer frame at a rep's socket on another replica", "p99 <= 250 ms");
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

    /** A lead's 201 or first offer as the harness saw it: when, and through which replica. */
    private record Seen(long nanos, URI replica) {
    }

    /** Leads created and not yet offered. */
    private final Map<String, Seen> committedAt = new HashMap<>();
    /** First offers that reached a rep before the harness had the lead's 201. */
    private final Map<String, Seen> offeredEarly = new HashMap<>();
    private final Set<String> offeredOnce = new HashSet<>();

    /** Ends the warm-up: what was measured so far is forgotten; the log of acknowledged intakes is kept for the checks. */
    synchronized void reset() {
        latencies().forEach(Latency::reset);
        counters.clear();
        committedAt.clear();
        offeredEarly.clear();
    }

    void count(String counter) {
        counters.computeIfAbsent(counter, name -> new LongAdder()).increment();
    }

    long counted(String counter) {
        LongAdder adder = counters.get(counter);
        return adder == null ? 0 : adder.sum();
    }

    // synchronized: a lead's 201 and its offer race each other from different threads
    /** @param replica the replica that answered the lead's 201 */
    synchronized void leadCommitted(String leadId, long nanos, URI replica) {
        Seen offered = offeredEarly.remove(leadId);
        if (offered == null) {
            committedAt.put(leadId, new Seen(nanos, replica));
        } else {
            // the offer overtook the 201 on its way to the harness: the latency is below what can be seen, recorded as 0
            count("offers before 201");
            offerLatency(replica, offered.replica()).recordNanos(0);
        }
    }

    /**
     * Only a lead's first offer counts; offers after a decline or an expiry are re-offers.
     *
     * @param replica the replica the offered rep's socket is connected to
     */
    synchronized void leadOffered(String leadId, long nanos, URI replica) {
        if (!offeredOnce.add(leadId)) {
            return;
        }
        Seen committed = committedAt.remove(leadId);
        if (committed != null) {
            offerLatency(committed.replica(), replica).recordNanos(nanos - committed.nanos());
        } else {
            offeredEarly.put(leadId, new Seen(nanos, replica));
        }
    }

    private Latency offerLatency(URI intakeReplica, URI repReplica) {
        return intakeReplica.equals(repReplica) ? leadToOffer : leadToOfferAcross;
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
        return List.of(intake, intakeClosedLoop, batchIntake, leadToOffer, leadToOfferAcross, acceptRoundTrip, pullToAssigned, requeueLateness);
    }

    Map<String, Long> counterValues() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.keySet().stream().sorted().forEach(name -> values.put(name, counted(name)));
        return values;
    }
}
