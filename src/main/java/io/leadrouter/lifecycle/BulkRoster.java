package io.leadrouter.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.CsvReader;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.common.ProblemMappers;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.rep.Rep;
import io.leadrouter.rep.RepColumns;
import io.leadrouter.rep.RepDocument;
import io.leadrouter.rep.RosterResponse;
import io.leadrouter.rep.RosterResult;
import io.vertx.core.Vertx;

/**
 * Many reps in one call, a JSON array of rep documents with their ids or a CSV with a row per rep. Every rep is read
 * and validated exactly as {@code PUT /reps/{id}} would first, and an invalid one refused on its own; then the valid
 * ones are stored {@value #CHUNK} to a transaction, each chunk one upsert statement ({@link RepService#putAll}). A
 * call that is malformed as a whole (not an array, broken JSON, no usable header, too many reps) stores nothing.
 * Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class BulkRoster {

    static final int CHUNK = 500;
    private static final Pattern ID = Pattern.compile(Rep.ID_PATTERN);

    private final RepService reps;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final LeadRouterConfig config;
    private final Vertx vertx;

    public BulkRoster(RepService reps, ObjectMapper mapper, Validator validator, LeadRouterConfig config, Vertx vertx) {
        this.reps = reps;
        this.mapper = mapper;
        this.validator = validator;
        this.config = config;
        this.vertx = vertx;
    }

    /** One rep read from the call: where it was, and its document or why it was refused. */
    private record Item(Integer index, Integer row, Integer line, String id, RepDocument document, Problem error) {

        RosterResult result(RosterResult.Outcome outcome) {
            return new RosterResult(index, row, line, id, outcome, error);
        }
    }

    /** A JSON array of rep documents, each with its {@code id}, read one item at a time. */
    public RosterResponse putJson(InputStream body) throws IOException {
        List<Item> items = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        try (JsonParser parser = mapper.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw DomainException.invalid("INVALID_ROSTER", "The body must be a JSON array of reps, each with its id");
            }
            for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
                countOne(items.size());
                items.add(item(index, null, null, mapper.readTree(parser), seen));
            }
            if (parser.nextToken() != null) {
                throw DomainException.invalid("MALFORMED_JSON", "The body has more after the array of reps");
            }
        }
        return store(items);
    }

    /** A CSV with a header row ({@link RepColumns}) and a rep per row. */
    public RosterResponse putCsv(Reader body) throws IOException {
        CsvReader reader = new CsvReader(body);
        CsvReader.Record header = reader.next();
        if (header == null || header.malformed()) {
            throw DomainException.invalid("INVALID_CSV", header == null ? "The CSV is empty: it needs a header row naming its columns"
                    : "The header row is malformed: " + header.error());
        }
        RepColumns columns = RepColumns.of(header.fields());
        List<Item> items = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (CsvReader.Record record = reader.next(); record != null; record = reader.next()) {
            countOne(items.size());
            String malformed = record.malformed() ? record.error()
                    : record.fields().size() != columns.size()
                            ? "the row has " + record.fields().size() + " fields, the header " + columns.size() : null;
            items.add(malformed != null
                    ? new Item(null, record.row(), record.line(), null, null, ProblemMappers.problemOf(DomainException.invalid(
                            "MALFORMED_ROW", "Row " + record.row() + " (line " + record.line() + "): " + malformed)))
                    : item(null, record.row(), record.line(), columns.rep(record.fields()), seen));
        }
        return store(items);
    }

    private void countOne(int read) {
        if (read == config.bulk().maxReps()) {
            throw DomainException.invalid("TOO_MANY_REPS", "A roster call holds at most " + config.bulk().maxReps()
                    + " reps; send the rest in another call");
        }
    }

    /** The rep an item stands for, validated as a single PUT's path and body are; {@code seen} the ids before it. */
    private Item item(Integer index, Integer row, Integer line, JsonNode json, Map<String, Integer> seen) {
        if (!(json instanceof ObjectNode rep)) {
            return new Item(index, row, line, null, null, ProblemMappers.problemOf(DomainException.invalid("INVALID_FIELD",
                    "A roster item must be a rep object", List.of(new Problem.FieldError("$", "must be a JSON object")))));
        }
        JsonNode idNode = rep.remove("id");
        String id = idNode != null && idNode.isTextual() ? idNode.asText() : null;
        List<Problem.FieldError> errors = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            errors.add(new Problem.FieldError("id", idNode == null ? "is required" : Rep.ID_RULE));
        }
        RepDocument document;
        try {
            document = mapper.treeToValue(rep, RepDocument.class);
        } catch (JsonProcessingException e) {
            return new Item(index, row, line, id, null, ProblemMappers.jsonProblem(e));
        }
        validator.validate(document).forEach(v -> errors.add(new Problem.FieldError(ProblemMappers.fieldOf(v.getPropertyPath()),
                v.getMessage())));
        if (!errors.isEmpty()) {
            errors.sort((a, b) -> a.field().compareTo(b.field()));
            return new Item(index, row, line, id, null, ProblemMappers.problemOf(DomainException.invalid(errors)));
        }
        DomainException conflict = document.teamConflict();
        if (conflict != null) {
            return new Item(index, row, line, id, null, ProblemMappers.problemOf(conflict));
        }
        Integer earlier = seen.putIfAbsent(id, index != null ? index : row);
        if (earlier != null) {
            return new Item(index, row, line, id, null, ProblemMappers.problemOf(DomainException.invalid("DUPLICATE_REP",
                    "Rep " + id + " is in this call already, at " + (index != null ? "index " : "row ") + earlier)));
        }
        return new Item(index, row, line, id, document, null);
    }

    private RosterResponse store(List<Item> items) {
        if (items.isEmpty()) {
            throw DomainException.invalid("INVALID_ROSTER", "A roster call holds 1 to " + config.bulk().maxReps() + " reps, not 0");
        }
        List<Item> valid = items.stream().filter(item -> item.error() == null).toList();
        List<Boolean> created = new ArrayList<>(valid.size());
        for (int from = 0; from < valid.size(); from += CHUNK) {
            List<RepService.Put> puts = valid.subList(from, Math.min(valid.size(), from + CHUNK)).stream()
                    .map(item -> new RepService.Put(item.id(), item.document())).toList();
            created.addAll(SafeContexts.run(vertx, () -> reps.putAll(puts)).await().indefinitely());
        }
        List<RosterResult> results = new ArrayList<>(items.size());
        int next = 0;
        for (Item item : items) {
            results.add(item.result(item.error() != null ? RosterResult.Outcome.ERROR
                    : created.get(next++) ? RosterResult.Outcome.CREATED : RosterResult.Outcome.REPLACED));
        }
        return RosterResponse.of(results);
    }
}
