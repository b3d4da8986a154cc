package io.leadrouter.lead;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.leadrouter.common.ComparableNumber;
import io.leadrouter.common.NulCharacter;
import io.leadrouter.common.Problem.FieldError;

/**
 * What a lead may hold beyond its fields' own constraints, checked at intake whatever edge it came from (JSON, a
 * mapped source, a Salesforce message): no U+0000 in any text or key, and {@code attributes} bounded in depth, in the
 * length of each text, in its numbers and in size, so that every stored lead can be written out again (answers, frames,
 * {@code GET /leads}) and evaluated cheaply by the policy's rules.
 */
public final class LeadLimits {

    /** Objects and arrays inside each other, {@code attributes} itself being the first. */
    public static final int MAX_ATTRIBUTE_DEPTH = 8;
    /** Characters of one text in the attributes (a key or a value). */
    public static final int MAX_ATTRIBUTE_TEXT = 4096;
    /** Bytes of the attributes as compact JSON (UTF-8). */
    public static final int MAX_ATTRIBUTES_JSON = 16 * 1024;
    /** Problems reported for one lead: the rest of a hostile lead would only repeat them. */
    private static final int MAX_ERRORS = 10;

    /** Every text field of {@link LeadRequest} by its contract name. */
    private static final List<Map.Entry<String, Function<LeadRequest, String>>> TEXT_FIELDS = List.of(
            Map.entry("externalId", LeadRequest::externalId), Map.entry("source", LeadRequest::source),
            Map.entry("name", LeadRequest::name), Map.entry("email", LeadRequest::email), Map.entry("phone", LeadRequest::phone),
            Map.entry("company", LeadRequest::company), Map.entry("country", LeadRequest::country),
            Map.entry("region", LeadRequest::region), Map.entry("postalCode", LeadRequest::postalCode),
            Map.entry("language", LeadRequest::language), Map.entry("product", LeadRequest::product),
            Map.entry("industry", LeadRequest::industry), Map.entry("team", LeadRequest::team));

    private LeadLimits() {
    }

    /** The lead's problems, each at its field's path; empty when it is within bounds. */
    public static List<FieldError> check(LeadRequest lead) {
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, Function<LeadRequest, String>> field : TEXT_FIELDS) {
            String text = field.getValue().apply(lead);
            if (text != null && NulCharacter.in(text)) {
                errors.add(new FieldError(field.getKey(), NulCharacter.REASON));
            }
        }
        if (lead.requiredSkills() != null) {
            lead.requiredSkills().keySet().stream().filter(skill -> skill != null && NulCharacter.in(skill))
                    .forEach(skill -> errors.add(new FieldError("requiredSkills[" + NulCharacter.shown(skill) + "]", NulCharacter.REASON)));
        }
        if (lead.attributes() != null) {
            Walk walk = new Walk(errors);
            walk.value(lead.attributes(), "attributes", 1);
            if (walk.bytes > MAX_ATTRIBUTES_JSON && errors.size() < MAX_ERRORS) {
                errors.add(new FieldError("attributes", "must be at most " + MAX_ATTRIBUTES_JSON + " bytes as JSON, not " + walk.bytes));
            }
        }
        return errors;
    }

    /** One pass over the attributes, adding up their size as JSON and stopping at the depth bound. */
    private static final class Walk {
        private final List<FieldError> errors;
        private long bytes;

        Walk(List<FieldError> errors) {
            this.errors = errors;
        }

        void value(Object value, String at, int depth) {
            if (errors.size() >= MAX_ERRORS) {
                return;
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                if (depth > MAX_ATTRIBUTE_DEPTH) {
                    errors.add(new FieldError(at, "nests deeper than " + MAX_ATTRIBUTE_DEPTH + " levels of objects and arrays"));
                    return;
                }
                bytes += 2;
            }
            if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    String path = at + "." + NulCharacter.shown(key);
                    text(key, path, "is a key that ");
                    bytes += 2;
                    value(entry.getValue(), path, depth + 1);
                }
            } else if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    bytes++;
                    value(list.get(i), at + "[" + i + "]", depth + 1);
                }
            } else if (value instanceof String text) {
                text(text, at, "");
            } else if (value instanceof Number number) {
                if (ComparableNumber.of(number) == null) {
                    errors.add(new FieldError(at, "must be a finite number of at most " + ComparableNumber.MAX_TEXT + " digits"));
                }
                bytes += number.toString().length();
            } else {
                bytes += String.valueOf(value).length();
            }
        }

        private void text(String text, String at, String subject) {
            if (NulCharacter.in(text)) {
                errors.add(new FieldError(at, subject + NulCharacter.REASON));
            } else if (text.length() > MAX_ATTRIBUTE_TEXT) {
                errors.add(new FieldError(at, subject + "must be at most " + MAX_ATTRIBUTE_TEXT + " characters"));
            }
            bytes += 2 + utf8Length(text);
        }

        private static long utf8Length(String text) {
            long length = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                length += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
            return length;
        }
    }
}
