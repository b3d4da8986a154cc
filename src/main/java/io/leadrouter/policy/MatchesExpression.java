package io.leadrouter.policy;

import java.util.ArrayDeque;
import java.util.Deque;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A {@code matches} value as intake runs it: compiled for RE2 (RE2J), which matches in time linear in the text, never
 * backtracking or recursing per character, case-insensitive. What RE2 compiles to can still grow with counted
 * repetition ({@code ((a{1000}){1000}){1000}} would exhaust the heap while compiling), so its size is estimated from
 * the text first and only an expression within the budget is compiled; the compiled program is then held to it exactly.
 */
final class MatchesExpression {

    private MatchesExpression() {
    }

    /** Why an expression cannot be run. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The compiled expression, of at most {@code budget} RE2 instructions (its size is {@link Pattern#programSize()}). */
    static Pattern compile(String expression, int budget) throws Refused {
        if (estimatedSize(expression, budget) > budget) {
            throw tooLarge(budget);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(expression, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new Refused("is not a regular expression RE2 accepts: " + e.getDescription()
                    + " (no backreferences or lookaround, see docs/routing-policy.md)");
        }
        if (pattern.programSize() > budget) {
            throw tooLarge(budget);
        }
        return pattern;
    }

    private static Refused tooLarge(int budget) {
        return new Refused("expands to more than the " + budget + " RE2 instructions left for this policy's expressions");
    }

    /**
     * An upper estimate of the program's size, within a small factor: every character one instruction, a group the sum
     * of its own, and a counted repetition {@code {n}}, {@code {n,}}, {@code {n,m}} multiplying what it repeats. Stops
     * counting past {@code budget}.
     */
    static long estimatedSize(String expression, int budget) {
        long cap = budget + 1L;
        Deque<Long> outer = new ArrayDeque<>();
        long size = 0;
        long last = 0;
        int i = 0;
        while (i < expression.length() && size <= cap) {
            char c = expression.charAt(i);
            int[] counts = c == '{' ? repetition(expression, i) : null;
            if (c == '\\') {
                i = escapeEnd(expression, i);
                last = 1;
                size++;
            } else if (c == '[') {
                i = classEnd(expression, i);
                last = 1;
                size++;
            } else if (c == '(') {
                outer.push(size);
                size = 0;
                i++;
            } else if (c == ')' && !outer.isEmpty()) {
                last = size + 1;
                size = outer.pop() + last;
                i++;
            } else if (counts != null) {
                long times = Math.min(cap, counts[1] + 1L);
                size = Math.min(cap, size + last * (times - 1));
                last = Math.min(cap, last * times);
                i = counts[2];
            } else {
                last = c == '|' ? 0 : 1;
                size++;
                i++;
            }
        }
        while (!outer.isEmpty()) {
            size += outer.pop();
        }
        return Math.min(size, cap);
    }

    /** Where an escape ends: {@code \p{Greek}}, {@code \x{41}} and {@code \Q…\E} take more than one character. */
    private static int escapeEnd(String expression, int at) {
        if (at + 1 >= expression.length()) {
            return at + 1;
        }
        char next = expression.charAt(at + 1);
        if ((next == 'p' || next == 'P' || next == 'x') && at + 2 < expression.length() && expression.charAt(at + 2) == '{') {
            int close = expression.indexOf('}', at + 3);
            return close < 0 ? expression.length() : close + 1;
        }
        if (next == 'Q') {
            int end = expression.indexOf("\\E", at + 2);
            return end < 0 ? expression.length() : end + 2;
        }
        return at + 2;
    }

    /** Where a character class ends, past {@code []…]}, {@code [^]…]}, escapes and {@code [:alpha:]}. */
    private static int classEnd(String expression, int at) {
        int i = at + 1;
        if (i < expression.length() && expression.charAt(i) == '^') {
            i++;
        }
        if (i < expression.length() && expression.charAt(i) == ']') {
            i++;
        }
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '\\') {
                i = escapeEnd(expression, i);
            } else if (c == '[' && i + 1 < expression.length() && expression.charAt(i + 1) == ':') {
                int close = expression.indexOf(":]", i + 2);
                i = close < 0 ? i + 1 : close + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code at}: {n, the larger count (n + 1 for "or more"), its end}; else null. */
    private static int[] repetition(String expression, int at) {
        int i = at + 1;
        int start = i;
        while (i < expression.length() && Character.isDigit(expression.charAt(i)) && i - start < 7) {
            i++;
        }
        if (i == start || i >= expression.length()) {
            return null;
        }
        int min = Integer.parseInt(expression, start, i, 10);
        if (expression.charAt(i) == '}') {
            return new int[] { min, min, i + 1 };
        }
        if (expression.charAt(i) != ',') {
            return null;
        }
        int maxStart = ++i;
        while (i < expression.length() && Character.isDigit(expression.charAt(i)) && i - maxStart < 7) {
            i++;
        }
        if (i >= expression.length() || expression.charAt(i) != '}') {
            return null;
        }
        int max = i == maxStart ? min + 1 : Integer.parseInt(expression, maxStart, i, 10);
        return new int[] { min, Math.max(min, max), i + 1 };
    }
}
