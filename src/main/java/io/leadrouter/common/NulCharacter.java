package io.leadrouter.common;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * U+0000, which PostgreSQL stores in neither {@code text} nor {@code jsonb}: refused wherever client input enters
 * (JSON text and keys as they are read, path and query parameters, socket frames, a lead's fields from any edge), so
 * that it is a 4xx naming the field and never a failed statement.
 */
public final class NulCharacter {

    public static final String REASON = "must not contain the NUL character (U+0000)";

    private NulCharacter() {
    }

    /** A key as an error path shows it: a NUL spelled as its JSON escape. */
    public static String shown(String key) {
        return key.replace("\0", "\\u0000");
    }

    public static boolean in(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\0') {
                return true;
            }
        }
        return false;
    }

    /**
     * The path of the first key or text in the tree that holds one, {@code at} for the tree itself; null when there is
     * none. For trees stored as they are sent (policy conditions, source mappings); the parser bounds their depth.
     */
    public static String pathIn(JsonNode node, String at) {
        if (node.isTextual()) {
            return in(node.textValue()) ? at : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = pathIn(node.get(i), at + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String path = (at.isEmpty() || at.equals("$") ? "" : at + ".") + shown(field.getKey());
                if (in(field.getKey())) {
                    return path;
                }
                String found = pathIn(field.getValue(), path);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
