package io.leadrouter.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadrouter.common.Problem.FieldError;

/** The bounds of a lead's content, as every intake edge (JSON, mapped sources, Salesforce XML) hands it over. */
class LeadLimitsTest {

    static LeadRequest lead(String name, Map<String, Object> attributes) {
        return new LeadRequest(null, null, name, null, null, "Acme", null, null, null, null, null, null, null, null, null,
                attributes, null);
    }

    static Object nested(int levels) {
        Object value = 1;
        for (int i = 0; i < levels; i++) {
            value = i % 2 == 0 ? Map.of("a", value) : List.of(value);
        }
        return value;
    }

    @Test
    void attributesNestAtMostEightLevelsCountingThemselves() {
        qt().forAll(integers().between(0, 40)).checkAssert(levels -> {
            List<FieldError> errors = LeadLimits.check(lead("Ann", Map.of("x", nested(levels))));
            // the attributes object is the first level, x's value the second
            if (levels + 1 <= LeadLimits.MAX_ATTRIBUTE_DEPTH) {
                assertThat(errors).isEmpty();
            } else {
                assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.reason()).startsWith("nests deeper than 8 levels");
                    assertThat(error.field()).startsWith("attributes.x");
                });
            }
        });
    }

    @Test
    void nulIsRefusedInEveryTextAndKeyWithItsPath() {
        assertThat(LeadLimits.check(lead("A\0nn", null))).extracting(FieldError::field).containsExactly("name");
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("k", Map.of("l\0", 1));
        attributes.put("list", List.of("ok", "b\0d"));
        assertThat(LeadLimits.check(lead("Ann", attributes))).extracting(FieldError::field)
                .containsExactlyInAnyOrder("attributes.k.l\\u0000", "attributes.list[1]");
    }

    @Test
    void aHostileLeadGetsAFewErrorsNotOneEach() {
        List<Object> bad = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            bad.add("\0");
        }
        assertThat(LeadLimits.check(lead("Ann", Map.of("bad", bad)))).hasSize(10);
    }

    @Test
    void theAttributesAreAtMost16KilobytesAsJson() {
        // {"a":"…","b":"…","c":"…","d":"…"}: 2 for the braces, 7 per entry besides its text
        String full = "x".repeat(LeadLimits.MAX_ATTRIBUTE_TEXT);
        int last = LeadLimits.MAX_ATTRIBUTES_JSON - 2 - 3 * (7 + full.length()) - 7;
        assertThat(LeadLimits.check(lead("Ann", Map.of("a", full, "b", full, "c", full, "d", "x".repeat(last))))).isEmpty();
        assertThat(LeadLimits.check(lead("Ann", Map.of("a", full, "b", full, "c", full, "d", "x".repeat(last + 1)))))
                .singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo("attributes");
                    assertThat(error.reason()).startsWith("must be at most 16384 bytes as JSON");
                });
        // in UTF-8 bytes: a euro sign is three
        assertThat(LeadLimits.check(lead("Ann", Map.of("a", "€".repeat(3000), "b", "€".repeat(3000))))).hasSize(1);
    }
}
