package io.leadrouter.replay;

import java.time.Duration;
import java.time.LocalTime;

/**
 * How simulated reps behave, as distributions the simulation draws from with its seed.
 *
 * @param shiftStart the earliest shift start; each rep starts up to {@code shiftStartSpread} later
 * @param breaks breaks of {@code breakLength} per shift (AWAY), at seeded times within it
 * @param thinkMin shortest time a rep takes to answer an offer (uniform up to {@code thinkMax})
 * @param declineShare share of answered offers a rep declines
 * @param ignoreShare share of offers a rep never answers, so they lapse (and the rep goes AWAY)
 * @param backAfterMiss how long a rep set AWAY by a lapsed offer takes to become available again
 * @param workMin shortest time to work an accepted lead before closing it (uniform up to {@code workMax})
 * @param neverWorkShare share of accepted leads the rep never closes (the untended SLA takes them back)
 */
public record BehaviourModel(LocalTime shiftStart, Duration shiftStartSpread, Duration shiftLength, int breaks,
        Duration breakLength, Duration thinkMin, Duration thinkMax, double declineShare, double ignoreShare,
        Duration backAfterMiss, Duration workMin, Duration workMax, double neverWorkShare) {

    /** A plausible sales floor: staggered 8-hour shifts from 08:00, two 15-minute breaks, some declines and misses. */
    public static final BehaviourModel DEFAULT = new BehaviourModel(LocalTime.of(8, 0), Duration.ofHours(2),
            Duration.ofHours(8), 2, Duration.ofMinutes(15), Duration.ofSeconds(5), Duration.ofSeconds(40), 0.10, 0.05,
            Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofMinutes(120), 0.02);

    /** Reps present all day who accept every offer at once and close each lead after exactly {@code work}. */
    public static BehaviourModel alwaysAccepting(Duration work) {
        return new BehaviourModel(LocalTime.MIDNIGHT, Duration.ZERO, Duration.ofHours(24), 0, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0, Duration.ZERO, work, work, 0);
    }
}
