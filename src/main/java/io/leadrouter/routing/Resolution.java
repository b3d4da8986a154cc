package io.leadrouter.routing;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a lead goes when an offer or an assignment ends without the lead being worked, and whether it escalates:
 * the one rule the service (as the parameters of its lead update) and the replay both apply.
 *
 * <ul>
 * <li>A decline, a lapsed offer and a take-back are failures; a cancelled offer (rep deactivated) is not.</li>
 * <li>A failed offer on the last allowed attempt holds the lead (MAX_ATTEMPTS); the hold wins over an
 * escalation due at the same moment, so the held lead can still escalate out of the holding pool later.</li>
 * <li>Otherwise a lead escalates once, when its failures reach the team's threshold: priority boost and the
 * escalation's relaxed criteria. A take-back never holds (the rep failed, not the routing).</li>
 * <li>A lead held too long escalates once out of the holding pool, with the whole fallback chain relaxed.</li>
 * <li>A lead requalified (a rep of its team was created or changed) goes back to the queue as it was.</li>
 * </ul>
 */
public final class Resolution {

    private Resolution() {
    }

    public enum Cause {
        DECLINED, LAPSED, CANCELLED, TAKEN_BACK, HELD_TOO_LONG,
        /** a lead nobody qualified for, back in the queue because a rep of its team was created or changed */
        REQUALIFIED
    }

    /**
     * A team's settings for resolutions.
     *
     * @param escalateAfterFailures failures after which a lead escalates; 0: never
     * @param heldRelax what a lead escalated out of the holding pool has relaxed
     */
    public record Rules(int maxAttempts, int escalateAfterFailures, int escalationBoost, Set<Criterion> escalationRelax,
            Set<Criterion> heldRelax) {

        /** For causes no setting bears on (a cancel, a requalified lead). */
        public static final Rules NONE = new Rules(Integer.MAX_VALUE, 0, 0, Set.of(), Set.of());
    }

    /**
     * The lead as it stands when the offer or assignment ends.
     *
     * @param attempt offers made so far, counting the one that ends
     * @param failures declines, lapses and take-backs before this one
     */
    public record Lead(int attempt, int failures, boolean escalated, int basePriority, int priority, Set<Criterion> relaxed) {
    }

    /**
     * What becomes of the lead.
     *
     * @param held it goes to the holding pool (MAX_ATTEMPTS) instead of the queue
     * @param escalates it escalates now: the priorities and relaxed criteria below include the boost and relaxation
     */
    public record Outcome(boolean held, boolean escalates, int basePriority, int priority, Set<Criterion> relaxed) {
    }

    static final int MAX_PRIORITY = 100;

    public static boolean isFailure(Cause cause) {
        return cause == Cause.DECLINED || cause == Cause.LAPSED || cause == Cause.TAKEN_BACK;
    }

    public static Outcome of(Cause cause, Lead lead, Rules rules) {
        // an escalated lead held too long stays held: it escalates once only
        boolean held = (cause == Cause.DECLINED || cause == Cause.LAPSED) && lead.attempt() >= rules.maxAttempts()
                || cause == Cause.HELD_TOO_LONG && lead.escalated();
        boolean escalates;
        Set<Criterion> relax;
        if (cause == Cause.HELD_TOO_LONG) {
            escalates = !lead.escalated();
            relax = rules.heldRelax();
        } else {
            escalates = !held && isFailure(cause) && !lead.escalated() && rules.escalateAfterFailures() > 0
                    && lead.failures() + 1 >= rules.escalateAfterFailures();
            relax = rules.escalationRelax();
        }
        if (!escalates) {
            return new Outcome(held, false, lead.basePriority(), lead.priority(), lead.relaxed());
        }
        Set<Criterion> relaxed = EnumSet.noneOf(Criterion.class);
        relaxed.addAll(lead.relaxed());
        relaxed.addAll(relax);
        return new Outcome(false, true, lead.basePriority() + rules.escalationBoost(),
                Math.min(MAX_PRIORITY, lead.priority() + rules.escalationBoost()), Set.copyOf(relaxed));
    }
}
