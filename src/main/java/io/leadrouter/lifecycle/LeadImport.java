package io.leadrouter.lifecycle;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.common.CsvReader;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.ProblemMappers;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.lead.BatchResponse;
import io.leadrouter.lead.ImportReport;
import io.leadrouter.lead.IntakeResult;
import io.leadrouter.lead.LeadColumns;
import io.vertx.core.Vertx;

/**
 * Leads imported from a CSV file, read as it arrives: every {@value #CHUNK} rows go to {@link LeadIntake#takeNumbered},
 * each chunk its own transaction, so only one chunk is ever held and a file of any length costs the same memory. The
 * rows are intake like any other: validated, idempotent by {@code externalId}, or with an {@code Idempotency-Key} row
 * {@code r} has the key {@code key#r}, so importing a file again creates nothing new.
 */
@ApplicationScoped
public class LeadImport {

    static final int CHUNK = 1000;
    /** Refused rows listed in the report; all of them are counted. */
    static final int LISTED_ERRORS = 1000;

    private final LeadIntake intake;
    private final Vertx vertx;

    public LeadImport(LeadIntake intake, Vertx vertx) {
        this.intake = intake;
        this.vertx = vertx;
    }

    /**
     * Imports the rows of {@code csv}, each column going where {@link LeadColumns} sends it under {@code mapping}
     * (column name → lead field). Blocks while it reads and stores: call it on a worker thread.
     *
     * @throws DomainException INVALID, with nothing stored, when the header row is missing or malformed or has a
     *         column that goes nowhere
     */
    public ImportReport importCsv(Reader csv, Map<String, String> mapping, String headerKey) throws IOException {
        return importCsv(csv, mapping, null, headerKey);
    }

    /**
     * Imports the rows of {@code csv} through a sender's mapping: each row is the object of its cells by column name
     * ({@code {"Email": "…", "Company Name": "…"}}), which {@code through} turns into the lead (a named intake source).
     */
    public ImportReport importCsv(Reader csv, UnaryOperator<ObjectNode> through, String headerKey) throws IOException {
        return importCsv(csv, Map.of(), through, headerKey);
    }

    private ImportReport importCsv(Reader csv, Map<String, String> mapping, UnaryOperator<ObjectNode> through, String headerKey)
            throws IOException {
        CsvReader reader = new CsvReader(csv);
        CsvReader.Record header = reader.next();
        if (header == null) {
            throw DomainException.invalid("INVALID_CSV", "The CSV is empty: it needs a header row naming its columns");
        }
        if (header.malformed()) {
            throw DomainException.invalid("INVALID_CSV", "The header row is malformed: " + header.error());
        }
        List<String> names = header.fields().stream().map(String::strip).toList();
        LeadColumns columns = through == null ? LeadColumns.of(header.fields(), mapping) : null;
        int width = names.size();
        Report report = new Report();
        Chunk chunk = new Chunk();
        for (CsvReader.Record record = reader.next(); record != null; record = reader.next()) {
            report.rows++;
            if (record.malformed()) {
                chunk.refuse(record, record.error());
            } else if (record.fields().size() != width) {
                chunk.refuse(record, "the row has " + record.fields().size() + " fields, the header " + width);
            } else if (through == null) {
                chunk.take(record, columns.lead(record.fields()));
            } else {
                ObjectNode row = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < width; i++) {
                    row.put(names.get(i), record.fields().get(i));
                }
                chunk.take(record, through.apply(row));
            }
            if (chunk.size() == CHUNK) {
                store(chunk, headerKey, report);
                chunk = new Chunk();
            }
        }
        store(chunk, headerKey, report);
        return report.done();
    }

    /** Stores the chunk's leads and adds what became of every row of it to the report, in row order. */
    private void store(Chunk chunk, String headerKey, Report report) {
        List<ImportReport.ErrorRow> errors = new ArrayList<>(chunk.refused);
        if (!chunk.leads.isEmpty()) {
            BatchResponse stored = SafeContexts.run(vertx, () -> intake.takeNumbered(chunk.leads, headerKey)).await().indefinitely();
            report.created += stored.created();
            report.replayed += stored.replayed();
            report.duplicates += stored.duplicates();
            for (IntakeResult result : stored.results()) {
                if (result.outcome() == IntakeResult.Outcome.ERROR) {
                    errors.add(new ImportReport.ErrorRow(result.index(), chunk.lines.get(result.index()), result.error()));
                }
            }
        }
        errors.sort(Comparator.comparingInt(ImportReport.ErrorRow::row));
        errors.forEach(report::refused);
    }

    /** The rows read since the last store. */
    private static final class Chunk {
        final List<LeadIntake.Numbered> leads = new ArrayList<>(CHUNK);
        final List<ImportReport.ErrorRow> refused = new ArrayList<>();
        final Map<Integer, Integer> lines = new HashMap<>();

        void take(CsvReader.Record record, JsonNode lead) {
            leads.add(new LeadIntake.Numbered(record.row(), lead));
            lines.put(record.row(), record.line());
        }

        void refuse(CsvReader.Record record, String why) {
            refused.add(new ImportReport.ErrorRow(record.row(), record.line(), ProblemMappers.problemOf(
                    DomainException.invalid("MALFORMED_ROW", "Row " + record.row() + " (line " + record.line() + "): " + why))));
        }

        int size() {
            return leads.size() + refused.size();
        }
    }

    private static final class Report {
        int rows;
        int created;
        int replayed;
        int duplicates;
        int errors;
        final List<ImportReport.ErrorRow> listed = new ArrayList<>();

        void refused(ImportReport.ErrorRow row) {
            errors++;
            if (listed.size() < LISTED_ERRORS) {
                listed.add(row);
            }
        }

        ImportReport done() {
            return new ImportReport(rows, created, replayed, duplicates, errors, listed, errors - listed.size());
        }
    }
}
