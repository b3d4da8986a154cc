package io.leadrouter.common;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CSV cells as the JSON a document of the API would hold, so that an imported row is read, validated and refused
 * exactly like the JSON body it stands for. A cell that is not what its column holds (a word in a number column) stays
 * text: the strict mapper then refuses it with the field's path, as it would in JSON.
 */
public final class CsvCells {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");

    private CsvCells() {
    }

    public static JsonNode text(String cell) {
        return JSON.textNode(cell);
    }

    /** {@code 42} as an integer, {@code 4.5} as a decimal. */
    public static JsonNode number(String cell) {
        if (INTEGER.matcher(cell).matches()) {
            return JSON.numberNode(Long.parseLong(cell));
        }
        try {
            BigDecimal decimal = new BigDecimal(cell);
            return decimal.scale() <= 0 ? JSON.numberNode(decimal.toBigIntegerExact()) : JSON.numberNode(decimal);
        } catch (NumberFormatException | ArithmeticException e) {
            return JSON.textNode(cell);
        }
    }

    /** {@code true} or {@code false}, in any case. */
    public static JsonNode bool(String cell) {
        return switch (cell.toLowerCase(Locale.ROOT)) {
            case "true" -> JSON.booleanNode(true);
            case "false" -> JSON.booleanNode(false);
            default -> JSON.textNode(cell);
        };
    }

    /** {@code en;de}: the parts, stripped, empty ones dropped. */
    public static ArrayNode list(String cell) {
        ArrayNode list = JSON.arrayNode();
        for (String part : cell.split(";")) {
            if (!part.isBlank()) {
                list.add(part.strip());
            }
        }
        return list;
    }

    /** {@code saas:4;fintech:2}: names with integer levels (a part without a level has an empty one, refused as such). */
    public static ObjectNode levels(String cell) {
        ObjectNode levels = JSON.objectNode();
        for (String part : cell.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.lastIndexOf(':');
            String name = (colon < 0 ? part : part.substring(0, colon)).strip();
            levels.set(name, colon < 0 ? JSON.textNode("") : number(part.substring(colon + 1).strip()));
        }
        return levels;
    }

    /** Sets {@code value} at a dotted path ({@code caps.day}), making the objects on the way. */
    public static void put(ObjectNode document, String path, JsonNode value) {
        ObjectNode node = document;
        String[] keys = path.split("\\.", -1);
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode next = node.get(keys[i]);
            node = next instanceof ObjectNode object ? object : node.putObject(keys[i]);
        }
        node.set(keys[keys.length - 1], value);
    }
}
