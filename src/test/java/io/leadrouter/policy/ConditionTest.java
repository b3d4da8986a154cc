package io.leadrouter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;


import io.leadrouter.common.ComparableNumber;

/** Conditions as intake evaluates them: RE2 expressions and bounded numbers, on whatever a CRM sends. */
class ConditionTest {

    /** The one rule's condition of a policy whose {@code when} is this JSON. */
    static Condition condition(String when) throws Exception {
        PolicyCompiler.Result result = PolicyCompilerTest.compile("{'rules':[{'name':'r','when':" + when + ",'then':{'priority':5}}]}");
        assertThat(result.errors()).isEmpty();
        return result.policy().rules().get(0).when();
    }

    static Map<String, Object> lead(String field, Object value) {
        Map<String, Object> lead = new HashMap<>();
        if (field.startsWith("attributes.")) {
            lead.put("attributes", Map.of(field.substring("attributes.".length()), value));
        } else {
            lead.put(field, value);
        }
        return lead;
    }

    @Test
    void matchesIsCaseInsensitiveFoundAnywhereAndSearchesTheFirst1000Characters() throws Exception {
        Condition gmail = condition("{'field':'email','op':'matches','value':'@gmail\\\\.com$'}");
        assertThat(gmail.test(lead("email", "Ann@GMAIL.com"))).isTrue();
        assertThat(gmail.test(lead("email", "ann@gmail.com.example"))).isFalse();
        Condition word = condition("{'field':'attributes.notes','op':'matches','value':'urgent'}");
        assertThat(word.test(lead("attributes.notes", "x".repeat(990) + "URGENT"))).isTrue();
        assertThat(word.test(lead("attributes.notes", "x".repeat(1000) + "urgent"))).as("past the first 1,000 characters").isFalse();
        Condition end = condition("{'field':'attributes.notes','op':'matches','value':'^x+$'}");
        assertThat(end.test(lead("attributes.notes", "x".repeat(1000) + "!"))).as("$ anchors at the 1,000th character").isTrue();
    }

    @Test
    void expressionsThatBacktrackInJavaAgreeWithWhatTheyMean() throws Exception {
        // java.util.regex needs exponential time (or a stack per character) for these on a non-matching text
        Condition nested = condition("{'field':'attributes.s','op':'matches','value':'^(a+)+$'}");
        Condition alternation = condition("{'field':'attributes.s','op':'matches','value':'^(a|aa)+$'}");
        Condition repeated = condition("{'field':'attributes.s','op':'matches','value':'^(a|b)*c$'}");
        qt().forAll(strings().betweenCodePoints('a', 'c').ofLengthBetween(0, 900)).checkAssert(text -> {
            boolean onlyA = !text.isEmpty() && text.chars().allMatch(c -> c == 'a');
            assertThat(nested.test(lead("attributes.s", text))).isEqualTo(onlyA);
            assertThat(alternation.test(lead("attributes.s", text))).isEqualTo(onlyA);
            boolean abThenC = text.endsWith("c") && text.substring(0, text.length() - 1).chars().allMatch(c -> c == 'a' || c == 'b');
            assertThat(repeated.test(lead("attributes.s", text))).isEqualTo(abThenC);
        });
        assertThat(nested.test(lead("attributes.s", "a".repeat(999) + "!"))).isFalse();
    }

    @Test
    void numbersOfAtMost100CharactersCompareAsNumbers() throws Exception {
        Condition above = condition("{'field':'attributes.n','op':'gt','value':0}");
        qt().forAll(longs().all(), doubles().any()).checkAssert((whole, real) -> {
            assertThat(above.test(lead("attributes.n", whole))).isEqualTo(whole > 0);
            assertThat(above.test(lead("attributes.n", Long.toString(whole)))).isEqualTo(whole > 0);
            // an infinity or NaN is no number: it never orders with one, and nothing throws
            assertThat(above.test(lead("attributes.n", real))).isEqualTo(Double.isFinite(real) && real > 0);
        });
        qt().forAll(integers().between(1, 100), integers().between(101, 5000)).checkAssert((digits, tooMany) -> {
            assertThat(above.test(lead("attributes.n", "9".repeat(digits)))).isTrue();
            assertThat(above.test(lead("attributes.n", "9".repeat(tooMany)))).as("text, not a number").isFalse();
        });
        assertThat(above.test(lead("attributes.n", "1e999999999"))).isTrue();
        assertThat(above.test(lead("attributes.n", "-1e999999999"))).isFalse();
        Condition huge = condition("{'field':'attributes.n','op':'eq','value':1e300}");
        assertThat(huge.test(lead("attributes.n", "10e299"))).isTrue();
        assertThat(huge.test(lead("attributes.n", Double.POSITIVE_INFINITY))).isFalse();
    }

    @Test
    void inComparesNumbersAndTextOnce() throws Exception {
        Condition in = condition("{'field':'attributes.n','op':'in','value':[1, 'two', 3.0]}");
        assertThat(in.test(lead("attributes.n", 3))).isTrue();
        assertThat(in.test(lead("attributes.n", "1.00"))).isTrue();
        assertThat(in.test(lead("attributes.n", "TWO"))).isTrue();
        assertThat(in.test(lead("attributes.n", List.of(1)))).isFalse();
    }

    @Test
    void comparableNumbersAreFiniteAndShort() {
        assertThat(ComparableNumber.of(Double.NaN)).isNull();
        assertThat(ComparableNumber.of(Double.NEGATIVE_INFINITY)).isNull();
        assertThat(ComparableNumber.of(1e308)).isEqualByComparingTo(new BigDecimal("1e308"));
        assertThat(ComparableNumber.of(new BigDecimal("1".repeat(101)))).isNull();
        assertThat(ComparableNumber.of(" 42 ")).isEqualByComparingTo(BigDecimal.valueOf(42));
        assertThat(ComparableNumber.of("forty-two")).isNull();
        assertThat(ComparableNumber.of(true)).isNull();
    }
}
