package io.leadrouter.event;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the event log: the writing transaction's id, then the event id. The log is read in this order, and
 * only below the oldest transaction still running, so an event committed later always sorts after the cursor.
 */
public record EventCursor(long tx, long id) {

    /** Before every event. */
    public static final EventCursor START = new EventCursor(0, 0);

    private static final Pattern FORM = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

    /** {@code 0} (the start) or {@code <tx>-<id>} as the feed hands it out; empty when it is neither. */
    public static Optional<EventCursor> parse(String text) {
        if ("0".equals(text)) {
            return Optional.of(START);
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EventCursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return tx + "-" + id;
    }
}
