package io.leadrouter.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** Now, at the precision PostgreSQL stores, so a timestamp returned before and after a reload is the same. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** A timestamptz column of a native row, as the reactive client hands it (OffsetDateTime) or as an Instant. */
    public static Instant of(Object column) {
        return column instanceof OffsetDateTime offset ? offset.toInstant() : (Instant) column;
    }
}
