package io.leadrouter.lead;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.common.CsvCells;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;

/**
 * Where each column of an imported CSV goes in a lead: a {@link LeadRequest} field of the column's name, an
 * {@code attributes.<key>} column into the attributes, or where a mapping sends it ({@code Company Name} →
 * {@code company}, or {@link #SKIP}). A column that goes nowhere refuses the import, so a misspelt header never drops
 * its data silently. Each row becomes the JSON lead it stands for; blank cells are left out.
 */
public final class LeadColumns {

    /** The mapping target that ignores a column. */
    public static final String SKIP = "-";
    private static final String ATTRIBUTES = "attributes";

    /** How each lead field's cells read, from the request's own field types. */
    private static final Map<String, Function<String, JsonNode>> FIELDS = new LinkedHashMap<>();

    static {
        for (RecordComponent field : LeadRequest.class.getRecordComponents()) {
            Class<?> type = field.getType();
            if (type == String.class) {
                FIELDS.put(field.getName(), CsvCells::text);
            } else if (Number.class.isAssignableFrom(type)) {
                FIELDS.put(field.getName(), CsvCells::number);
            } else if (Map.class.isAssignableFrom(type) && field.getGenericType() instanceof ParameterizedType map
                    && map.getActualTypeArguments()[1] == Integer.class) {
                FIELDS.put(field.getName(), CsvCells::levels);
            } else if (!field.getName().equals(ATTRIBUTES)) {
                throw new IllegalStateException("No CSV reading for lead field " + field.getName() + " of " + type);
            }
        }
    }

    /** Per column, the field or attributes path it fills; null for a skipped column. */
    private final List<String> targets;

    private LeadColumns(List<String> targets) {
        this.targets = targets;
    }

    public int size() {
        return targets.size();
    }

    /**
     * The columns of a header row, with an explicit mapping (column name → target) for those not named after a field.
     *
     * @throws DomainException INVALID: a column that goes nowhere ({@code UNKNOWN_COLUMN}), two columns for one field
     *         ({@code DUPLICATE_COLUMN}), a mapping of a column the header lacks or to no field ({@code INVALID_MAPPING})
     */
    public static LeadColumns of(List<String> header, Map<String, String> mapping) {
        List<Problem.FieldError> mappingErrors = new ArrayList<>();
        mapping.forEach((column, target) -> {
            if (header.stream().noneMatch(h -> h.strip().equals(column))) {
                mappingErrors.add(new Problem.FieldError("map", "no column '" + column + "' in the header row"));
            }
            if (!target.equals(SKIP) && !isTarget(target)) {
                mappingErrors.add(new Problem.FieldError("map", "'" + target + "' is not a lead field, attributes.<key> or " + SKIP));
            }
        });
        if (!mappingErrors.isEmpty()) {
            throw DomainException.invalid("INVALID_MAPPING", "The column mapping names what the CSV or a lead does not have",
                    mappingErrors);
        }
        List<String> targets = new ArrayList<>(header.size());
        List<Problem.FieldError> unknown = new ArrayList<>();
        List<Problem.FieldError> duplicates = new ArrayList<>();
        Map<String, String> columnOf = new HashMap<>();
        for (String raw : header) {
            String column = raw.strip();
            String target = mapping.getOrDefault(column, column.isEmpty() ? SKIP : column);
            if (target.equals(SKIP)) {
                targets.add(null);
                continue;
            }
            if (!isTarget(target)) {
                unknown.add(new Problem.FieldError(column, "is not a lead field or attributes.<key>: rename it, or map it with map="
                        + column + ":<field> (or :" + SKIP + " to skip it)"));
            } else if (columnOf.putIfAbsent(target, column) != null) {
                duplicates.add(new Problem.FieldError(column, "fills " + target + ", as column '" + columnOf.get(target) + "' does"));
            }
            targets.add(target);
        }
        if (!unknown.isEmpty()) {
            throw DomainException.invalid("UNKNOWN_COLUMN", "Columns that are no lead field", unknown);
        }
        if (!duplicates.isEmpty()) {
            throw DomainException.invalid("DUPLICATE_COLUMN", "Two columns fill the same lead field", duplicates);
        }
        return new LeadColumns(targets);
    }

    private static boolean isTarget(String target) {
        return FIELDS.containsKey(target) || target.startsWith(ATTRIBUTES + ".") && target.length() > ATTRIBUTES.length() + 1;
    }

    /** The lead a row of as many cells as the header stands for. */
    public ObjectNode lead(List<String> cells) {
        ObjectNode lead = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < targets.size(); i++) {
            String target = targets.get(i);
            String cell = cells.get(i).strip();
            if (target == null || cell.isEmpty()) {
                continue;
            }
            Function<String, JsonNode> reading = FIELDS.get(target);
            CsvCells.put(lead, target, reading == null ? CsvCells.text(cell) : reading.apply(cell));
        }
        return lead;
    }
}
