package io.leadrouter.routing;

import java.time.Duration;
import java.util.List;

/**
 * The part of a team's routing policy the engine applies.
 *
 * @param requireTerritory a lead's country (and region or postal code) must be covered by the rep
 * @param requireLanguage a lead's language must be spoken by the rep
 * @param valueTiers the ideal rep tier by lead value, highest threshold first
 * @param idleSaturation idle time at which the idle component reaches 1
 * @param fallback criteria relaxed in this order, one at a time, while nobody qualifies
 * @param holidays the policy's holiday calendars (the same for every team: each says whom it applies to)
 * @param makeUp a rep back from away, out of office or a cap catches up on its weighted share of the fairness period;
 *     false: it rejoins level with the least-served rep it competes with (at most one lead behind the most-served)
 */
public record RoutingRules(boolean requireTerritory, boolean requireLanguage, Weights weights, List<ValueTier> valueTiers,
        Duration idleSaturation, List<Criterion> fallback, List<HolidayCalendar> holidays, boolean makeUp) {

    public static final RoutingRules DEFAULT = new RoutingRules(true, true, Weights.DEFAULT, List.of(),
            Duration.ofHours(1), List.of(), List.of(), true);

    /** Rules with make-up credit (the default) and no holiday calendars. */
    public RoutingRules(boolean requireTerritory, boolean requireLanguage, Weights weights, List<ValueTier> valueTiers,
            Duration idleSaturation, List<Criterion> fallback) {
        this(requireTerritory, requireLanguage, weights, valueTiers, idleSaturation, fallback, List.of(), true);
    }

    /** Leads worth at least {@code minValue} fit reps of {@code tier} best. */
    public record ValueTier(double minValue, int tier) {
    }

    public RoutingRules withFallback(List<Criterion> steps) {
        return new RoutingRules(requireTerritory, requireLanguage, weights, valueTiers, idleSaturation, steps, holidays, makeUp);
    }

    public RoutingRules withHolidays(List<HolidayCalendar> calendars) {
        return new RoutingRules(requireTerritory, requireLanguage, weights, valueTiers, idleSaturation, fallback,
                List.copyOf(calendars), makeUp);
    }

    public RoutingRules withMakeUp(boolean catchUp) {
        return new RoutingRules(requireTerritory, requireLanguage, weights, valueTiers, idleSaturation, fallback, holidays, catchUp);
    }

    /** The ideal tier for a lead's value, or null when value or tiers are unknown. */
    Integer idealTier(Double value) {
        if (value == null) {
            return null;
        }
        return valueTiers.stream().filter(t -> value >= t.minValue()).map(ValueTier::tier).findFirst().orElse(null);
    }
}
