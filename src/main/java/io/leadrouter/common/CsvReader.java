package io.leadrouter.common;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one record at a time from a stream: fields separated by commas, quoted fields that may hold
 * commas, doubled quotes and line breaks, records ended by CRLF, LF or CR, a UTF-8 byte order mark skipped. A
 * malformed record (a quote left open, text after a closing quote, too many fields, too long) comes back with its
 * error and the reader goes on with the next one, so one bad line never ends the file. Only one record is held at a
 * time, and no record grows past {@link #MAX_RECORD_CHARS} characters or {@link #MAX_FIELDS} fields, whatever the
 * input.
 */
public final class CsvReader {

    public static final int MAX_FIELDS = 256;
    public static final int MAX_RECORD_CHARS = 65_536;

    /**
     * One record. {@code row} counts records as a spreadsheet counts rows (the header is row 1, blank lines count);
     * {@code line} is the physical line it starts on, which differs once a quoted field spanned lines. A malformed
     * record has an {@code error} and its fields are not to be used.
     */
    public record Record(int row, int line, List<String> fields, String error) {
        public boolean malformed() {
            return error != null;
        }
    }

    private static final int END = -1;

    private final Reader in;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private int row;
    private int line = 1;
    private boolean started;

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** The next record, or null at the end of the input. */
    public Record next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        while (true) {
            int c = peek();
            if (c == END) {
                return null;
            }
            row++;
            if (c == '\n' || c == '\r') {
                read();
                lineBreak(c);
                continue;
            }
            return record();
        }
    }

    private Record record() throws IOException {
        int startLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        String error = null;
        boolean quoted = false;
        boolean closed = false;
        int chars = 0;
        while (true) {
            int c = read();
            if (c == END) {
                if (quoted) {
                    error = first(error, "a quoted field is not closed (unbalanced quotes)");
                }
                error = add(fields, field, error);
                break;
            }
            if (++chars > MAX_RECORD_CHARS) {
                error = quoted ? "a quoted field is not closed within " + MAX_RECORD_CHARS + " characters (unbalanced quotes)"
                        : "the record is longer than " + MAX_RECORD_CHARS + " characters";
                if (c == '\n' || c == '\r') {
                    lineBreak(c);
                } else {
                    skipLine();
                }
                break;
            }
            if (quoted) {
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                        closed = true;
                    }
                } else {
                    field.append((char) c);
                    if (c == '\r' && peek() == '\n') {
                        field.append((char) read());
                        chars++;
                    }
                    if (c == '\n' || c == '\r') {
                        line++;
                    }
                }
            } else if (c == ',') {
                error = add(fields, field, error);
                closed = false;
            } else if (c == '\n' || c == '\r') {
                lineBreak(c);
                error = add(fields, field, error);
                break;
            } else if (closed) {
                error = first(error, "text after the closing quote of a quoted field");
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else {
                field.append((char) c);
            }
        }
        return new Record(row, startLine, error == null ? List.copyOf(fields) : List.of(), error);
    }

    /** Ends the field; past the most fields a record may have, only the error is kept. */
    private static String add(List<String> fields, StringBuilder field, String error) {
        if (fields.size() == MAX_FIELDS) {
            error = first(error, "the record has more than " + MAX_FIELDS + " fields");
        } else if (error == null) {
            fields.add(field.toString());
        }
        field.setLength(0);
        return error;
    }

    private static String first(String error, String another) {
        return error != null ? error : another;
    }

    /** The rest of a record too long to keep, quotes or not: reading resumes at the next line. */
    private void skipLine() throws IOException {
        while (true) {
            int c = read();
            if (c == END) {
                return;
            }
            if (c == '\n' || c == '\r') {
                lineBreak(c);
                return;
            }
        }
    }

    /** Counts the line break just read; a CR followed by LF is one. */
    private void lineBreak(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return END;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return END;
        }
        return buffer[position++];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
