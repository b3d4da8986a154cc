package io.leadrouter.policy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/** A rule's condition on a lead's fields and attributes, compiled from the policy document. */
public sealed interface Condition {

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
                case IN -> ((List<?>) value).stream().anyMatch(v -> same(actual, v));
                case NOT_IN -> ((List<?>) value).stream().noneMatch(v -> same(actual, v));
                case CONTAINS -> text(actual).contains(text(value));
                case STARTS_WITH -> text(actual).startsWith(text(value));
                case MATCHES -> pattern.matcher(String.valueOf(actual)).find();
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

        private static boolean same(Object actual, Object expected) {
            BigDecimal a = number(actual);
            BigDecimal b = number(expected);
            return a != null && b != null ? a.compareTo(b) == 0 : text(actual).equals(text(expected));
        }

        /** Numbers (or numeric text) order as numbers, other text case-insensitively; a number and a word never order. */
        private static boolean ordered(Object actual, Object expected, IntPredicate accept) {
            BigDecimal a = number(actual);
            BigDecimal b = number(expected);
            if (a != null && b != null) {
                return accept.test(a.compareTo(b));
            }
            return a == null && b == null && accept.test(text(actual).compareTo(text(expected)));
        }

        private static BigDecimal number(Object value) {
            if (value instanceof BigDecimal d) {
                return d;
            }
            if (value instanceof Number n) {
                return new BigDecimal(n.toString());
            }
            if (value instanceof String s) {
                try {
                    return new BigDecimal(s.trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }

        private static String text(Object value) {
            return String.valueOf(value).toLowerCase(Locale.ROOT);
        }
    }

    enum Op {
        EQ, NE, GT, GTE, LT, LTE, IN, NOT_IN, CONTAINS, STARTS_WITH, MATCHES, EXISTS
    }
}
