package io.leadrouter.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.event.EventSubscriber;
import io.leadrouter.event.LifecycleEvent;
import io.leadrouter.lead.IntakeResult;
import io.leadrouter.lifecycle.Acceptance;
import io.leadrouter.lifecycle.OfferOutcome;
import io.leadrouter.offer.OfferState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's own counters and latency histograms, counted where the events happen and only
 * once they are committed, on the replica that performed them. Every outcome is registered up
 * front so rates start from 0 instead of appearing with the first event.
 */
@ApplicationScoped
public class LeadRouterMetrics implements EventSubscriber {

    /** Latencies a routing SLO is stated in: from the matcher's milliseconds to a rep's minute. */
    private static final Duration[] SLO_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60) };

    private final Counter offersCreated;
    private final Counter offersAccepted;
    /** Declined, expired and cancelled offers. */
    private final Map<OfferState, Counter> offersResolved = new EnumMap<>(OfferState.class);
    private final Map<IntakeResult.Outcome, Counter> intake = new EnumMap<>(IntakeResult.Outcome.class);
    private final Timer timeToOffer;
    private final Timer timeToAccept;

    public LeadRouterMetrics(MeterRegistry registry) {
        offersCreated = offerCounter(registry, "created");
        offersAccepted = offerCounter(registry, "accepted");
        for (OfferState state : new OfferState[] { OfferState.DECLINED, OfferState.EXPIRED, OfferState.CANCELLED }) {
            offersResolved.put(state, offerCounter(registry, label(state)));
        }
        for (IntakeResult.Outcome outcome : IntakeResult.Outcome.values()) {
            intake.put(outcome, Counter.builder("leadrouter.intake")
                    .description("Leads sent in, by outcome: created, replayed (same idempotency key and body), duplicate (of an open lead) or error (refused, 4xx)")
                    .tag("outcome", label(outcome)).register(registry));
        }
        // a lead can wait in the queue far longer than a rep takes to answer an offer
        timeToOffer = histogram(registry, "leadrouter.time.to.offer", "From a lead's arrival to the offer made for it",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1));
        timeToAccept = histogram(registry, "leadrouter.time.to.accept", "From an offer being made to the rep accepting it",
                Duration.ofMinutes(5));
    }

    /** Offers made, accepted and resolved, from the events of the transactions this replica committed. */
    @Override
    public void committed(List<LifecycleEvent> events) {
        for (LifecycleEvent event : events) {
            switch (event.type()) {
                case LEAD_OFFERED -> {
                    OfferOutcome outcome = event.attachment(OfferOutcome.class);
                    if (outcome != null) {
                        offerCreated(Duration.between(outcome.lead().createdAt(), outcome.offer().createdAt));
                    }
                }
                case LEAD_ASSIGNED -> {
                    Acceptance acceptance = event.attachment(Acceptance.class);
                    if (acceptance != null) {
                        offerAccepted(acceptance.offerOpenFor());
                    }
                    if (event.data().get("cancelledOfferId") != null) {
                        offerResolved(OfferState.CANCELLED);
                    }
                }
                case LEAD_DECLINED -> offerResolved(OfferState.DECLINED);
                case LEAD_OFFER_EXPIRED -> offerResolved(OfferState.EXPIRED);
                case LEAD_REQUEUED -> {
                    if ("OFFER_CANCELLED".equals(event.text("cause"))) {
                        offerResolved(OfferState.CANCELLED);
                    }
                }
                case LEAD_CLOSED -> {
                    if (event.data().get("cancelledOfferId") != null) {
                        offerResolved(OfferState.CANCELLED);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** An offer was made; {@code sinceArrival} runs from the lead's arrival. */
    void offerCreated(Duration sinceArrival) {
        offersCreated.increment();
        timeToOffer.record(sinceArrival);
    }

    /** An offer was accepted; {@code sinceOffered} runs from the offer being made. */
    void offerAccepted(Duration sinceOffered) {
        offersAccepted.increment();
        timeToAccept.record(sinceOffered);
    }

    /** An offer was declined, expired or cancelled. */
    void offerResolved(OfferState state) {
        Counter counter = offersResolved.get(state);
        if (counter == null) {
            throw new IllegalArgumentException("Not a resolution: " + state);
        }
        counter.increment();
    }

    /** One lead sent in (a single request, or one item of a batch) came to this. */
    public void intake(IntakeResult.Outcome outcome) {
        intake.get(outcome).increment();
    }

    /** So many leads sent in (the rows of an import) came to this. */
    public void intake(IntakeResult.Outcome outcome, int leads) {
        intake.get(outcome).increment(leads);
    }

    private static Counter offerCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("leadrouter.offers")
                .description("Offers made (created) and resolved (accepted, declined, expired, cancelled)")
                .tag("outcome", outcome).register(registry);
    }

    /** A histogram over the SLO buckets and then the long tail given, which also bounds it. */
    private static Timer histogram(MeterRegistry registry, String name, String description, Duration... longTail) {
        Duration[] slos = Arrays.copyOf(SLO_BUCKETS, SLO_BUCKETS.length + longTail.length);
        System.arraycopy(longTail, 0, slos, SLO_BUCKETS.length, longTail.length);
        return Timer.builder(name).description(description)
                .publishPercentileHistogram()
                .serviceLevelObjectives(slos)
                .minimumExpectedValue(SLO_BUCKETS[0])
                .maximumExpectedValue(longTail[longTail.length - 1])
                .register(registry);
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
