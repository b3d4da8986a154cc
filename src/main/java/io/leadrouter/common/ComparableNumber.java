package io.leadrouter.common;

import java.math.BigDecimal;

/**
 * A value as policy rules compare numbers: a JSON number or numeric text, finite and at most {@link #MAX_TEXT}
 * characters long. Anything else is no number (rules compare it as text), so no comparison parses megabytes of digits
 * (quadratic) or meets an infinity; intake refuses attribute numbers that are none.
 */
public final class ComparableNumber {

    public static final int MAX_TEXT = 100;

    private ComparableNumber() {
    }

    /** The value as a number, or null when it is none. */
    public static BigDecimal of(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.precision() <= MAX_TEXT ? decimal : null;
        }
        if (value instanceof Double || value instanceof Float) {
            return Double.isFinite(((Number) value).doubleValue()) ? new BigDecimal(value.toString()) : null;
        }
        if (value instanceof Number || value instanceof String) {
            String text = value.toString().trim();
            if (text.isEmpty() || text.length() > MAX_TEXT) {
                return null;
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
