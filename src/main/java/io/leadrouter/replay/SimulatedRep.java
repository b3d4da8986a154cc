package io.leadrouter.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.leadrouter.routing.RepFacts;

/**
 * A rep of the replay: the routing facts (skills, tier, weight, caps...) and the day's drawn
 * schedule; outside the shift the rep is OFFLINE, on a break AWAY.
 */
public record SimulatedRep(RepFacts facts, Instant shiftStart, Instant shiftEnd, List<Break> breaks) {

    /** An AWAY period, {@code from} inclusive, {@code to} exclusive. */
    public record Break(Instant from, Instant to) {
    }

    public String id() {
        return facts.id();
    }

    /**
     * Draws the rep's shift and breaks for the day; seeded by the rep id too, so a rep keeps its
     * schedule whatever the roster order and whichever policy is replayed.
     */
    public static SimulatedRep scheduled(RepFacts facts, BehaviourModel model, Instant dayStart, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, facts.id()));
        Instant start = dayStart.plusSeconds(model.shiftStart().toSecondOfDay())
                .plusSeconds(draw(random, model.shiftStartSpread().toSeconds()));
        Instant end = start.plus(model.shiftLength());
        List<Break> breaks = new ArrayList<>();
        long slot = model.shiftLength().toSeconds() / (model.breaks() + 1);
        for (int i = 1; i <= model.breaks(); i++) {
            // one break around each equal division of the shift, jittered by up to a quarter slot
            long at = i * slot + draw(random, slot / 2) - slot / 4;
            Instant from = start.plusSeconds(at);
            breaks.add(new Break(from, from.plus(model.breakLength())));
        }
        return new SimulatedRep(facts, start, end, List.copyOf(breaks));
    }

    private static long draw(SplittableRandom random, long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound + 1);
    }

    static Duration between(SplittableRandom random, Duration min, Duration max) {
        return min.plusMillis(draw(random, max.minus(min).toMillis()));
    }
}
