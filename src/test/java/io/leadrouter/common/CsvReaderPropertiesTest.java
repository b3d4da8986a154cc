package io.leadrouter.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of the CSV reader: whatever fields are written the RFC 4180 way come back as they were, and no input,
 * however hostile, makes it fail or hold more than its bounds.
 * <p>
 * QuickTheories picks a fresh seed each run and prints it with a falsified property; rerun with
 * {@code -DQT_SEED=<seed>} to see the same examples again.
 */
class CsvReaderPropertiesTest {

    /** The characters that matter to CSV, some that do not, and some beyond ASCII. */
    private static final String ALPHABET = ",\"\r\n ab1é€\uFEFF\t;'";

    static Gen<String> fields() {
        return lists().of(Generate.pick(ALPHABET.chars().mapToObj(c -> String.valueOf((char) c)).toList()))
                .ofSizeBetween(0, 12).map(chars -> String.join("", chars));
    }

    static Gen<List<List<String>>> files() {
        return lists().of(lists().of(fields()).ofSizeBetween(1, 6)).ofSizeBetween(0, 20);
    }

    /** A field as a careful writer puts it: quoted when it must be, or when the writer just likes quotes. */
    static String written(String field, boolean alwaysQuote, boolean alone) {
        boolean must = field.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n') || field.startsWith("\uFEFF")
                // a lone empty field would be a blank line
                || alone && field.isEmpty();
        return must || alwaysQuote ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    static String file(List<List<String>> records, boolean quoteAll, boolean crlf, boolean bom, boolean trailingBreak) {
        StringBuilder csv = new StringBuilder(bom ? "\uFEFF" : "");
        for (int i = 0; i < records.size(); i++) {
            List<String> record = records.get(i);
            csv.append(String.join(",", record.stream().map(f -> written(f, quoteAll, record.size() == 1)).toList()));
            if (i < records.size() - 1 || trailingBreak) {
                csv.append(crlf ? "\r\n" : "\n");
            }
        }
        return csv.toString();
    }

    static List<CsvReader.Record> read(String csv) {
        try {
            return CsvReaderTest.read(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void writtenFieldsReadBackAsTheyWere() {
        qt().withExamples(500).forAll(files(), booleans().all(), booleans().all(), booleans().all())
                .checkAssert((records, quoteAll, crlf, bom) -> {
            String csv = file(records, quoteAll, crlf, bom, !records.isEmpty() && records.size() % 2 == 0);

            List<CsvReader.Record> read = read(csv);

            assertThat(read).noneMatch(CsvReader.Record::malformed);
            assertThat(read).extracting(CsvReader.Record::fields).isEqualTo(records);
            assertThat(read).extracting(CsvReader.Record::row).isEqualTo(IntStream.rangeClosed(1, records.size())
                    .boxed().toList());
        });
    }

    @Test
    void aRecordStartsOnTheLineAfterTheLineBreaksBeforeIt() {
        qt().withExamples(300).forAll(files(), booleans().all()).checkAssert((records, crlf) -> {
            String csv = file(records, false, crlf, false, true);

            List<CsvReader.Record> read = read(csv);

            int line = 1;
            for (int i = 0; i < records.size(); i++) {
                assertThat(read.get(i).line()).isEqualTo(line);
                String record = String.join(",", records.get(i));
                line += 1 + (int) record.replace("\r\n", "\n").chars().filter(c -> c == '\n' || c == '\r').count();
            }
        });
    }

    @Test
    void anyInputReadsToTheEndWithinTheBounds() {
        Gen<String> hostile = lists().of(Generate.pick(List.of(",", "\"", "\r", "\n", "x", "\"\"", ",,,,,,,,", "\"x\"y")))
                .ofSizeBetween(0, 400).map(parts -> String.join("", parts));
        qt().withExamples(500).forAll(hostile).checkAssert(csv -> {
            List<CsvReader.Record> read = read(csv);

            int previousRow = 0;
            for (CsvReader.Record record : read) {
                assertThat(record.row()).isGreaterThan(previousRow);
                assertThat(record.fields().size()).isLessThanOrEqualTo(CsvReader.MAX_FIELDS);
                assertThat(record.fields()).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(CsvReader.MAX_RECORD_CHARS));
                previousRow = record.row();
            }
        });
    }

    @Test
    void aRecordPastTheBoundsSpoilsOnlyItselfAndTheRecordsAroundReadAsWritten() {
        qt().withExamples(30).forAll(files(), files(), integers().between(1, 3), booleans().all())
                .checkAssert((before, after, extra, quoted) -> {
                    String huge = (quoted ? "\"" : "") + "y".repeat(CsvReader.MAX_RECORD_CHARS + extra);
                    String csv = file(before, false, false, false, true) + huge + "\n" + file(after, false, false, false, true);

                    List<CsvReader.Record> read = read(csv);

                    assertThat(read).hasSize(before.size() + 1 + after.size());
                    assertThat(read.subList(0, before.size())).extracting(CsvReader.Record::fields).isEqualTo(before);
                    assertThat(read.get(before.size()).malformed()).isTrue();
                    assertThat(read.subList(before.size() + 1, read.size())).extracting(CsvReader.Record::fields).isEqualTo(after);
                });
    }
}
