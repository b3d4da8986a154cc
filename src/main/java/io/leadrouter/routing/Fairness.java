package io.leadrouter.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How fairly a team's leads were spread over its reps, measured against each rep's weight: the
 * service's fairness stats and the replay report both compute it here.
 */
public final class Fairness {

    private Fairness() {
    }

    /** One rep's period: its weight and what it was assigned. */
    public record Share(String repId, double weight, long assigned, double value) {
    }

    /**
     * One rep measured.
     *
     * @param weightedShare the rep's weight as a fraction of the team's
     * @param expected the assignments the weighted share stands for
     * @param ratio assigned / expected; 1 is exactly fair, null when nothing was expected
     */
    public record RepFairness(String repId, double weight, long assigned, double value, double weightedShare,
            double expected, Double ratio) {
    }

    /**
     * The team measured.
     *
     * @param maxMinRatio the highest over the lowest assignments-per-weight among weighted reps; 1 is
     *     perfectly even; null when some weighted rep got nothing while another got some (unbounded)
     *     or fewer than two reps carry weight
     * @param gini the Gini coefficient of assignments-per-weight over weighted reps: 0 even, towards 1
     *     all to one rep
     */
    public record Report(List<RepFairness> reps, long assigned, double value, Double maxMinRatio, double gini) {
    }

    public static Report measure(List<Share> shares) {
        double totalWeight = shares.stream().mapToDouble(s -> Math.max(0, s.weight())).sum();
        long assigned = shares.stream().mapToLong(Share::assigned).sum();
        double value = shares.stream().mapToDouble(Share::value).sum();
        List<RepFairness> reps = new ArrayList<>(shares.size());
        for (Share share : shares) {
            double weightedShare = totalWeight == 0 ? 0 : Math.max(0, share.weight()) / totalWeight;
            double expected = assigned * weightedShare;
            reps.add(new RepFairness(share.repId(), share.weight(), share.assigned(), round(share.value()),
                    round(weightedShare), round(expected), expected == 0 ? null : round(share.assigned() / expected)));
        }
        double[] perWeight = shares.stream().filter(s -> s.weight() > 0).mapToDouble(s -> s.assigned() / s.weight())
                .sorted().toArray();
        return new Report(reps, assigned, round(value), maxMinRatio(perWeight), round(gini(perWeight)));
    }

    private static Double maxMinRatio(double[] sorted) {
        if (sorted.length < 2) {
            return null;
        }
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        if (max == 0) {
            return 1.0;
        }
        return min == 0 ? null : round(max / min);
    }

    /** Gini over sorted non-negative values: sum of (2i - n - 1) x_i over n times the sum. */
    static double gini(double[] sorted) {
        double sum = Arrays.stream(sorted).sum();
        if (sorted.length < 2 || sum == 0) {
            return 0;
        }
        int n = sorted.length;
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            weighted += (2.0 * (i + 1) - n - 1) * sorted[i];
        }
        return weighted / (n * sum);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
