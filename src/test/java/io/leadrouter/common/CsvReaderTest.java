package io.leadrouter.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvReaderTest {

    static List<CsvReader.Record> read(String csv) throws IOException {
        CsvReader reader = new CsvReader(new StringReader(csv));
        List<CsvReader.Record> records = new ArrayList<>();
        for (CsvReader.Record record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        return records;
    }

    static List<List<String>> fields(String csv) throws IOException {
        return read(csv).stream().map(CsvReader.Record::fields).toList();
    }

    @Test
    void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
        assertThat(fields("a,b,c\n\"Banking, Investment\",\"say \"\"hi\"\"\",\"two\r\nlines\"\n"))
                .containsExactly(List.of("a", "b", "c"), List.of("Banking, Investment", "say \"hi\"", "two\r\nlines"));
    }

    @Test
    void recordsEndWithCrlfLfOrCrAndTheLastNeedsNoLineBreak() throws IOException {
        assertThat(fields("a,b\r\n1,2\n3,4\r5,6")).containsExactly(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"),
                List.of("5", "6"));
    }

    @Test
    void emptyFieldsAreKeptAndAByteOrderMarkIsSkipped() throws IOException {
        assertThat(fields("\uFEFFa,,c\n,\n\"\"\n")).containsExactly(List.of("a", "", "c"), List.of("", ""), List.of(""));
    }

    @Test
    void rowsCountAsASpreadsheetCountsThemAndLinesAsAnEditorDoes() throws IOException {
        List<CsvReader.Record> records = read("name,notes\nann,\"first\nsecond\"\n\nbob,x\n");

        assertThat(records).extracting(CsvReader.Record::row).containsExactly(1, 2, 4);
        assertThat(records).extracting(CsvReader.Record::line).containsExactly(1, 2, 5);
    }

    @Test
    void aQuoteLeftOpenIsAnErrorOfItsRecord() throws IOException {
        List<CsvReader.Record> records = read("a,b\n1,\"open\n");

        assertThat(records.get(1).malformed()).isTrue();
        assertThat(records.get(1).error()).contains("unbalanced quotes");
        assertThat(records.get(1).fields()).isEmpty();
    }

    @Test
    void textAfterAClosingQuoteIsAnErrorAndTheNextRecordReadsWell() throws IOException {
        List<CsvReader.Record> records = read("\"ab\"c,d\n1,2\n");

        assertThat(records.get(0).error()).contains("after the closing quote");
        assertThat(records.get(1).fields()).containsExactly("1", "2");
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsText() throws IOException {
        assertThat(fields("5\" floppy,x\n")).containsExactly(List.of("5\" floppy", "x"));
    }

    @Test
    void aRecordWithTooManyFieldsIsAnError() throws IOException {
        String wide = ",".repeat(CsvReader.MAX_FIELDS);
        List<CsvReader.Record> records = read(",".repeat(CsvReader.MAX_FIELDS - 1) + "\n" + wide + "\nok\n");

        assertThat(records.get(0).fields()).hasSize(CsvReader.MAX_FIELDS);
        assertThat(records.get(1).error()).contains("more than " + CsvReader.MAX_FIELDS + " fields");
        assertThat(records.get(2).fields()).containsExactly("ok");
    }

    @Test
    void aRecordTooLongIsAnErrorAndReadingResumesAtTheNextLine() throws IOException {
        String longLine = "x".repeat(CsvReader.MAX_RECORD_CHARS + 10);
        List<CsvReader.Record> records = read("a\n" + longLine + "\nb\n\"" + longLine + "\nc\n");

        assertThat(records).extracting(CsvReader.Record::error).containsExactly(null,
                "the record is longer than " + CsvReader.MAX_RECORD_CHARS + " characters", null,
                "a quoted field is not closed within " + CsvReader.MAX_RECORD_CHARS + " characters (unbalanced quotes)", null);
        assertThat(records.get(4).fields()).containsExactly("c");
        assertThat(records.get(4).line()).isEqualTo(5);
    }

    @Test
    void anEmptyInputHasNoRecords() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read("\uFEFF")).isEmpty();
        assertThat(read("\n\r\n")).isEmpty();
    }
}
