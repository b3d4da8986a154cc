package io.leadrouter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** However many teams CRMs invent, the gauges' team label takes at most max + 1 values, and known teams are named first. */
class TeamLabelsTest {

    private static final Gen<Set<String>> TEAMS = lists().of(strings().betweenCodePoints('a', 'e').ofLengthBetween(1, 3))
            .ofSizeBetween(0, 40).map(list -> (Set<String>) new HashSet<>(list));

    @Test
    void atMostMaxTeamsKeepTheirNameAndKnownOnesComeFirst() {
        qt().forAll(TEAMS, TEAMS, integers().between(0, 30)).checkAssert((known, others, max) -> {
            Set<String> seen = new HashSet<>(others);
            seen.addAll(known);
            UnaryOperator<String> label = TeamLabels.of(known, seen, max);
            Set<String> labels = seen.stream().map(label).collect(Collectors.toSet());
            assertThat(labels.size()).isLessThanOrEqualTo(max + 1);
            Set<String> named = seen.stream().filter(team -> label.apply(team).equals(team)).collect(Collectors.toSet());
            assertThat(named).hasSize(Math.min(max, seen.size()));
            if (known.size() <= max) {
                assertThat(named).containsAll(known);
            } else {
                assertThat(known).containsAll(named);
            }
            seen.stream().filter(team -> !named.contains(team))
                    .forEach(team -> assertThat(label.apply(team)).isEqualTo(TeamLabels.OTHER));
        });
    }

    @Test
    void theOverflowLabelIsNoTeamName() {
        assertThat(TeamLabels.OTHER).doesNotMatch("^[A-Za-z0-9._-]{1,100}$");
    }
}
