package io.leadrouter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import com.google.re2j.Pattern;

/** The size of what RE2 would compile is known before compiling, so no expression can exhaust the heap at PUT. */
class MatchesExpressionTest {

    /** Random expressions of literals, classes, escapes, groups, alternations and (nested, counted) repetitions. */
    static final Gen<String> EXPRESSIONS = integers().all().map(seed -> expression(new Random(seed), 3));

    static String expression(Random random, int depth) {
        StringBuilder expression = new StringBuilder();
        int items = 1 + random.nextInt(4);
        for (int i = 0; i < items; i++) {
            switch (random.nextInt(depth > 0 ? 7 : 4)) {
                case 0 -> expression.append((char) ('a' + random.nextInt(3)));
                case 1 -> expression.append("[a-c]");
                case 2 -> expression.append("\\d");
                case 3 -> expression.append('.');
                case 4 -> expression.append('(').append(expression(random, depth - 1)).append(')');
                case 5 -> expression.append("(?:").append(expression(random, depth - 1)).append('|')
                        .append(expression(random, depth - 1)).append(')');
                default -> expression.append("\\p{Greek}");
            }
            switch (random.nextInt(6)) {
                case 0 -> expression.append('*');
                case 1 -> expression.append('+');
                case 2 -> expression.append("{" + random.nextInt(6) + "}");
                case 3 -> expression.append("{" + random.nextInt(3) + "," + (3 + random.nextInt(4)) + "}");
                case 4 -> expression.append("{" + random.nextInt(4) + ",}");
                default -> {
                }
            }
        }
        return expression.toString();
    }

    @Test
    void theEstimateBoundsTheCompiledSizeWithinASmallFactor() {
        qt().forAll(EXPRESSIONS).checkAssert(expression -> {
            long size = Pattern.compile(expression, Pattern.CASE_INSENSITIVE).programSize();
            long estimate = MatchesExpression.estimatedSize(expression, Integer.MAX_VALUE - 1);
            assertThat(size).as(expression).isLessThanOrEqualTo(3 * estimate + 10);
        });
    }

    @Test
    void anExpressionThatWouldExpandPastTheBudgetIsRefusedBeforeCompiling() {
        // RE2J would need minutes and more than a gigabyte to compile this one
        assertThat(MatchesExpression.estimatedSize("((a{1000}){1000}){1000}", 2000)).isGreaterThan(2000);
        assertThatThrownBy(() -> MatchesExpression.compile("((a{1000}){1000}){1000}", 2000))
                .isInstanceOf(MatchesExpression.Refused.class).hasMessageContaining("2000 RE2 instructions");
        assertThatThrownBy(() -> MatchesExpression.compile("x{700}", 600)).isInstanceOf(MatchesExpression.Refused.class);
        assertThat(MatchesExpression.estimatedSize("\\Q{1000}\\E[{1000}]\\{1000}", 2000)).as("no repetition: literal braces")
                .isLessThan(20);
    }

    @Test
    void whatRe2CannotRunIsRefusedWithTheReason() {
        for (String expression : new String[] { "(a)\\1", "a(?=b)", "a(?!b)", "(?<=a)b", "(" }) {
            assertThatThrownBy(() -> MatchesExpression.compile(expression, 2000)).as(expression)
                    .isInstanceOf(MatchesExpression.Refused.class).hasMessageContaining("RE2 accepts");
        }
    }
}
