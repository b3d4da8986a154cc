package io.leadrouter.routing;

/**
 * PUSH or PULL from live load, with two thresholds so a team near one threshold does not flap:
 * pressure is leads waiting (queued or under offer) per free capacity point (at least one), where
 * capacity held by open offers counts as free, so that making offers does not move it.
 */
public record ModeHysteresis(double pullAbove, double pushBelow) {

    public ModeHysteresis {
        if (pushBelow > pullAbove) {
            throw new IllegalArgumentException("push-below (" + pushBelow + ") must not exceed pull-above (" + pullAbove + ")");
        }
    }

    public Mode next(Mode current, long waiting, long freeCapacity) {
        double pressure = (double) waiting / Math.max(1, freeCapacity);
        if (current == Mode.PUSH && pressure >= pullAbove) {
            return Mode.PULL;
        }
        if (current == Mode.PULL && pressure <= pushBelow) {
            return Mode.PUSH;
        }
        return current;
    }
}
