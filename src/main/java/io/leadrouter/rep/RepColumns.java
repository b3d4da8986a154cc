package io.leadrouter.rep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.common.CsvCells;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;

/**
 * The columns of a roster CSV: one per scalar field of the rep document (and {@code id}), a dotted column per field
 * of its objects ({@code caps.day}, {@code crmIds.salesforce}, {@code workingHours.mon}), lists separated by
 * semicolons ({@code en;de}, teams in the rep's order {@code emea;dach}), skills as {@code saas:4;fintech:2}, working hours of a day as {@code 09:00-12:00;13:00-17:00},
 * out-of-office periods as {@code <from>/<to>} instants. Each row becomes the JSON item it stands for, blank cells
 * left out, and is then validated like one.
 */
public final class RepColumns {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> WEEKDAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Map<String, Function<String, JsonNode>> COLUMNS = new LinkedHashMap<>();

    static {
        for (String text : List.of("id", "name", "email", "team", "region", "timezone", "crmIds.salesforce", "crmIds.hubspot")) {
            COLUMNS.put(text, CsvCells::text);
        }
        for (String number : List.of("tier", "maxLoad", "weight", "caps.day", "caps.week", "caps.month")) {
            COLUMNS.put(number, CsvCells::number);
        }
        COLUMNS.put("active", CsvCells::bool);
        COLUMNS.put("languages", CsvCells::list);
        COLUMNS.put("territories", CsvCells::list);
        COLUMNS.put("teams", CsvCells::list);
        COLUMNS.put("skills", CsvCells::levels);
        WEEKDAYS.forEach(day -> COLUMNS.put("workingHours." + day, RepColumns::hours));
        COLUMNS.put("outOfOffice", RepColumns::periods);
    }

    private final List<String> columns;

    private RepColumns(List<String> columns) {
        this.columns = columns;
    }

    public int size() {
        return columns.size();
    }

    /**
     * The columns of a header row.
     *
     * @throws DomainException INVALID: a column of no rep field ({@code UNKNOWN_COLUMN}), one twice
     *         ({@code DUPLICATE_COLUMN}), or no {@code id} column ({@code MISSING_COLUMN})
     */
    public static RepColumns of(List<String> header) {
        List<String> columns = header.stream().map(String::strip).toList();
        List<Problem.FieldError> unknown = new ArrayList<>();
        List<Problem.FieldError> duplicates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!COLUMNS.containsKey(column)) {
                unknown.add(new Problem.FieldError(column, "is not a rep column: one of " + String.join(", ", COLUMNS.keySet())));
            } else if (!seen.add(column)) {
                duplicates.add(new Problem.FieldError(column, "appears twice"));
            }
        }
        if (!unknown.isEmpty()) {
            throw DomainException.invalid("UNKNOWN_COLUMN", "Columns that are no rep field", unknown);
        }
        if (!duplicates.isEmpty()) {
            throw DomainException.invalid("DUPLICATE_COLUMN", "A column appears twice", duplicates);
        }
        if (!seen.contains("id")) {
            throw DomainException.invalid("MISSING_COLUMN", "A roster CSV needs an id column",
                    List.of(new Problem.FieldError("id", "is required")));
        }
        return new RepColumns(columns);
    }

    /** The roster item ({@code id} and the document's fields) a row of as many cells as the header stands for. */
    public ObjectNode rep(List<String> cells) {
        ObjectNode rep = JSON.objectNode();
        for (int i = 0; i < columns.size(); i++) {
            String cell = cells.get(i).strip();
            if (!cell.isEmpty()) {
                CsvCells.put(rep, columns.get(i), COLUMNS.get(columns.get(i)).apply(cell));
            }
        }
        return rep;
    }

    /** {@code 09:00-12:00;13:00-17:00}. */
    private static JsonNode hours(String cell) {
        ArrayNode ranges = JSON.arrayNode();
        for (JsonNode part : CsvCells.list(cell)) {
            String range = part.asText();
            int dash = range.indexOf('-');
            ObjectNode window = ranges.addObject().put("start", (dash < 0 ? range : range.substring(0, dash)).strip());
            if (dash >= 0) {
                window.put("end", range.substring(dash + 1).strip());
            }
        }
        return ranges;
    }

    /** {@code 2026-12-24T00:00:00Z/2026-12-27T00:00:00Z;…}. */
    private static JsonNode periods(String cell) {
        ArrayNode periods = JSON.arrayNode();
        for (JsonNode part : CsvCells.list(cell)) {
            String period = part.asText();
            int slash = period.indexOf('/');
            ObjectNode absence = periods.addObject().put("from", (slash < 0 ? period : period.substring(0, slash)).strip());
            if (slash >= 0) {
                absence.put("to", period.substring(slash + 1).strip());
            }
        }
        return periods;
    }
}
