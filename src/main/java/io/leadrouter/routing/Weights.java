package io.leadrouter.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/** How much each score component counts; each component is in [0, 1], the score is their weighted mean. */
public record Weights(double skill, double language, double territory, double valueTierFit, double fairness, double idle,
        double headroom) {

    public static final Weights DEFAULT = new Weights(1, 1, 1, 1, 2, 1, 1);

    Map<String, Double> asMap() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("skill", skill);
        weights.put("language", language);
        weights.put("territory", territory);
        weights.put("valueTierFit", valueTierFit);
        weights.put("fairness", fairness);
        weights.put("idle", idle);
        weights.put("headroom", headroom);
        return weights;
    }
}
