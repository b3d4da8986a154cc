package io.leadrouter.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code team} label of each team a gauge reports. Teams come from CRMs and each is series of its own in
 * Prometheus, so at most {@code max} teams keep their name, known teams (of reps and the policy) first, then the others,
 * each group by name; the rest share {@link #OTHER}, which no team can be named.
 */
final class TeamLabels {

    static final String OTHER = "(other)";

    private TeamLabels() {
    }

    /** The label of every team; {@code seen} are the teams with leads or a mode, known or not. */
    static UnaryOperator<String> of(Set<String> known, Set<String> seen, int max) {
        Set<String> named = Stream.concat(new TreeSet<>(known).stream(), new TreeSet<>(seen).stream()).distinct().limit(max)
                .collect(Collectors.toSet());
        return team -> named.contains(team) ? team : OTHER;
    }
}
