package io.leadrouter.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/** Derived seeds: one stream per rep, per lead and rep pair, so draws do not depend on event order. */
final class Seeds {

    private Seeds() {
    }

    static long mix(long seed, String... keys) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (String key : keys) {
            // String.hashCode is specified by the JLS, so it is the same in every JVM run
            h = (h ^ key.hashCode()) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    /** Business hours in which compressed or synthetic leads arrive: 09:00 to 17:00 of the day. */
    static final Duration ARRIVALS_FROM = Duration.ofHours(9);
    static final Duration ARRIVALS_SPAN = Duration.ofHours(8);

    /** A seeded arrival time within the day's business hours, fixed per lead whatever else is in the day. */
    static Instant arrivalWithin(long seed, String leadKey, Instant dayStart) {
        long second = new SplittableRandom(mix(seed, "arrival", leadKey)).nextLong(ARRIVALS_SPAN.toSeconds());
        return dayStart.plus(ARRIVALS_FROM).plusSeconds(second);
    }
}
