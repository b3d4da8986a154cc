package io.leadrouter.policy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

import com.google.re2j.Pattern;

import io.leadrouter.common.ComparableNumber;

/**
 * A rule's condition on a lead's fields and attributes, compiled from the policy document. Evaluation is bounded
 * whatever a CRM sends: text is compared on its first {@link #MAX_TEXT} characters, {@code matches} runs a linear-time
 * (RE2) expression on the first {@link #MAX_MATCHED} characters, and numbers are {@link ComparableNumber}s.
 */
public sealed interface Condition {

    /** Characters of a value that text comparisons see (longer values are objects or arrays shown as text). */
    int MAX_TEXT = 4096;
    /** Characters of a value that a {@code matches} expression searches. */
    int MAX_MATCHED = 1000;

    boolean test(Map<String, Object> lead);

    record All(List<Condition> conditions) implements Condition {
        public boolean test(Map<String, Object> lead) {
            return conditions.stream().allMatch(c -> c.test(lead));
        }
    }

    record Any(List<Condition> conditions) implements Condition {
        public boolean test(Map<String, Object> lead) {
            return conditions.stream().anyMatch(c -> c.test(lead));
        }
    }

    record Not(Condition condition) implements Condition {
        public boolean test(Map<String, Object> lead) {
            return !condition.test(lead);
        }
    }

    /** {@code field op value}; a missing field satisfies only {@code exists: false} and {@code ne}. */
    record Compare(String field, Op op, Object value, Pattern pattern) implements Condition {

        public boolean test(Map<String, Object> lead) {
            Object actual = valueOf(lead, field);
            if (op == Op.EXISTS) {
                return (actual != null) == (Boolean) value;
            }
            if (actual == null) {
                return op == Op.NE;
            }
            return switch (op) {
                case EQ -> same(actual, value);
                case NE -> !same(actual, value);
                case GT -> ordered(actual, value, c -> c > 0);
                case GTE -> ordered(actual, value, c -> c >= 0);
                case LT -> ordered(actual, value, c -> c < 0);
                case LTE -> ordered(actual, value, c -> c <= 0);
                case IN -> in(actual, (List<?>) value);
                case NOT_IN -> !in(actual, (List<?>) value);
                case CONTAINS -> text(actual).contains(text(value));
                case STARTS_WITH -> text(actual).startsWith(text(value));
                case MATCHES -> pattern.matcher(prefix(String.valueOf(actual), MAX_MATCHED)).find();
                case EXISTS -> throw new IllegalStateException("handled above");
            };
        }

        /** A lead field, or a path into its attributes ({@code attributes.licence.tier}). */
        static Object valueOf(Map<String, Object> lead, String field) {
            if (!field.startsWith("attributes.")) {
                return lead.get(field);
            }
            Object node = lead.get("attributes");
            for (String key : field.substring("attributes.".length()).split("\\.")) {
                if (!(node instanceof Map<?, ?> map)) {
                    return null;
                }
                node = map.get(key);
            }
            return node;
        }

        private static boolean in(Object actual, List<?> values) {
            BigDecimal number = ComparableNumber.of(actual);
            String text = text(actual);
            return values.stream().anyMatch(v -> same(number, text, v));
        }

        private static boolean same(Object actual, Object expected) {
            return same(ComparableNumber.of(actual), text(actual), expected);
        }

        private static boolean same(BigDecimal number, String text, Object expected) {
            BigDecimal other = ComparableNumber.of(expected);
            return number != null && other != null ? number.compareTo(other) == 0 : text.equals(text(expected));
        }

        /** Numbers (or numeric text) order as numbers, other text case-insensitively; a number and a word never order. */
        private static boolean ordered(Object actual, Object expected, IntPredicate accept) {
            BigDecimal a = ComparableNumber.of(actual);
            BigDecimal b = ComparableNumber.of(expected);
            if (a != null && b != null) {
                return accept.test(a.compareTo(b));
            }
            return a == null && b == null && accept.test(text(actual).compareTo(text(expected)));
        }

        private static String text(Object value) {
            return prefix(String.valueOf(value), MAX_TEXT).toLowerCase(Locale.ROOT);
        }

        private static String prefix(String text, int length) {
            return text.length() <= length ? text : text.substring(0, length);
        }
    }

    enum Op {
        EQ, NE, GT, GTE, LT, LTE, IN, NOT_IN, CONTAINS, STARTS_WITH, MATCHES, EXISTS
    }
}
