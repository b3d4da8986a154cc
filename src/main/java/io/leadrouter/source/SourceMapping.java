package io.leadrouter.source;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.common.Problem.FieldError;
import io.leadrouter.lead.LeadRequest;

/**
 * A compiled intake source: how a sender's payload becomes a lead. Each lead field takes a fixed value, or the text
 * at a JSON pointer (or several, joined) with transforms applied in order; the source may set the team, and may require
 * an HMAC-SHA256 signature of the raw body in a header.
 */
public final class SourceMapping {

    /** The lead fields a mapping may fill: the intake contract's, and {@code attributes.<key>}. */
    static final Set<String> LEAD_FIELDS = Arrays.stream(LeadRequest.class.getRecordComponents())
            .map(component -> component.getName()).filter(name -> !name.equals("attributes") && !name.equals("requiredSkills"))
            .collect(Collectors.toUnmodifiableSet());
    static final Pattern ATTRIBUTE = Pattern.compile("^attributes\\.[A-Za-z0-9_.-]{1,100}$");
    static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
    static final Pattern TEAM = Pattern.compile("^[A-Za-z0-9._-]{1,100}$");
    static final Pattern HEADER = Pattern.compile("^[A-Za-z0-9-]{1,100}$");
    static final int MAX_FIELDS = 100;
    static final int MAX_POINTERS = 10;

    /** What a transform does to the text it is given. */
    enum Transform {
        LOWER(text -> text.toLowerCase()), UPPER(text -> text.toUpperCase()), TRIM(String::trim),
        /** The first word of a full name: the given name. */
        FIRST_WORD(text -> text.trim().split("\\s+", 2)[0]),
        /** Everything after the first word of a full name: the family name. */
        AFTER_FIRST_WORD(text -> {
            String[] words = text.trim().split("\\s+", 2);
            return words.length < 2 ? "" : words[1];
        }),
        /** Marks the value to be sent as a number (value, score). */
        NUMBER(UnaryOperator.identity());

        final UnaryOperator<String> apply;

        Transform(UnaryOperator<String> apply) {
            this.apply = apply;
        }

        static Transform of(String name) {
            return switch (name) {
                case "lower" -> LOWER;
                case "upper" -> UPPER;
                case "trim" -> TRIM;
                case "firstWord" -> FIRST_WORD;
                case "afterFirstWord" -> AFTER_FIRST_WORD;
                case "number" -> NUMBER;
                default -> null;
            };
        }
    }

    /** One lead field: a fixed value, or the texts at the pointers joined, then transformed. */
    record Rule(String field, JsonNode fixed, List<JsonPointer> pointers, String join, List<Transform> transforms) {
    }

    /** The signature a sender puts in a header: HMAC-SHA256 of the raw body, hex or base64, after an optional prefix. */
    record Signature(String header, boolean base64, String prefix, byte[] secret) {
    }

    private final List<Rule> rules;
    private final String team;
    private final Signature signature;

    private SourceMapping(List<Rule> rules, String team, Signature signature) {
        this.rules = rules;
        this.team = team;
        this.signature = signature;
    }

    /** Whether the sender must sign, and in which header. */
    String signatureHeader() {
        return signature == null ? null : signature.header();
    }

    /** Whether the header's value is the body's signature (constant time); true when the source requires none. */
    boolean verifies(byte[] body, String headerValue) {
        if (signature == null) {
            return true;
        }
        if (headerValue == null || !headerValue.startsWith(signature.prefix())) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signature.secret(), "HmacSHA256"));
            expected = mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        String sent = headerValue.substring(signature.prefix().length()).trim();
        byte[] given;
        try {
            given = signature.base64() ? Base64.getDecoder().decode(sent) : HexFormat.of().parseHex(sent.toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    /** The lead the payload maps to, as an intake item; fields whose pointers find nothing are left out. */
    ObjectNode lead(JsonNode payload) {
        ObjectNode lead = JsonNodeFactory.instance.objectNode();
        for (Rule rule : rules) {
            JsonNode value = value(rule, payload);
            if (value == null) {
                continue;
            }
            if (rule.field().startsWith("attributes.")) {
                lead.with("attributes").set(rule.field().substring("attributes.".length()), value);
            } else {
                lead.set(rule.field(), value);
            }
        }
        if (team != null && !lead.has("team")) {
            lead.put("team", team);
        }
        return lead;
    }

    private static JsonNode value(Rule rule, JsonNode payload) {
        if (rule.fixed() != null) {
            return rule.fixed();
        }
        List<String> parts = new ArrayList<>(rule.pointers().size());
        JsonNode single = null;
        for (JsonPointer pointer : rule.pointers()) {
            JsonNode found = payload.at(pointer);
            if (found.isMissingNode() || found.isNull()) {
                continue;
            }
            single = found;
            parts.add(found.isValueNode() ? found.asText() : found.toString());
        }
        if (parts.isEmpty()) {
            return null;
        }
        if (rule.transforms().isEmpty() && parts.size() == 1 && !single.isContainerNode()) {
            // as sent: a number stays a number, so the intake's type checks still apply
            return single;
        }
        String text = String.join(rule.join(), parts);
        boolean number = false;
        for (Transform transform : rule.transforms()) {
            text = transform.apply.apply(text);
            number |= transform == Transform.NUMBER;
        }
        if (number) {
            try {
                BigDecimal parsed = new BigDecimal(text.trim().replace(",", ""));
                // a whole number as an integer, so that integer fields (score) take it
                return parsed.stripTrailingZeros().scale() <= 0 && parsed.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                        ? JsonNodeFactory.instance.numberNode(parsed.longValue()) : JsonNodeFactory.instance.numberNode(parsed);
            } catch (NumberFormatException e) {
                // left as text: intake refuses it with the field's name
            }
        }
        return text.isEmpty() ? null : JsonNodeFactory.instance.textNode(text);
    }

    /** Compiles a source document, or reports every problem at its path. */
    static SourceMapping compile(JsonNode document, List<FieldError> errors) {
        if (document == null || !document.isObject()) {
            errors.add(new FieldError("$", "must be a source object: {fields, team, signature, description}"));
            return null;
        }
        document.fieldNames().forEachRemaining(name -> {
            if (!Set.of("fields", "team", "signature", "description").contains(name)) {
                errors.add(new FieldError(name, "is not a source field"));
            }
        });
        JsonNode fields = document.path("fields");
        if (!fields.isObject() || fields.isEmpty() || fields.size() > MAX_FIELDS) {
            errors.add(new FieldError("fields", "must map 1 to " + MAX_FIELDS + " lead fields"));
            return null;
        }
        List<Rule> rules = new ArrayList<>();
        fields.fields().forEachRemaining(entry -> {
            Rule rule = rule(entry.getKey(), entry.getValue(), "fields." + entry.getKey(), errors);
            if (rule != null) {
                rules.add(rule);
            }
        });
        String team = null;
        if (document.has("team")) {
            team = document.get("team").asText();
            if (!document.get("team").isTextual() || !TEAM.matcher(team).matches()) {
                errors.add(new FieldError("team", "must be a team name of letters, digits, . _ -"));
            }
        }
        if (document.has("description") && (!document.get("description").isTextual() || document.get("description").asText().length() > 500)) {
            errors.add(new FieldError("description", "must be text of at most 500 characters"));
        }
        Signature signature = document.has("signature") ? signature(document.get("signature"), errors) : null;
        return errors.isEmpty() ? new SourceMapping(List.copyOf(rules), team, signature) : null;
    }

    private static Rule rule(String field, JsonNode spec, String at, List<FieldError> errors) {
        if (!LEAD_FIELDS.contains(field) && !ATTRIBUTE.matcher(field).matches()) {
            errors.add(new FieldError(at, "must be a lead field " + LEAD_FIELDS.stream().sorted().toList() + " or attributes.<key>"));
            return null;
        }
        if (spec.isTextual()) {
            // "email": "/properties/email/value" is short for {"pointer": ...}
            return pointers(List.of(spec.asText()), at, errors).map(p -> new Rule(field, null, p, "", List.of())).orElse(null);
        }
        if (!spec.isObject()) {
            errors.add(new FieldError(at, "must be a JSON pointer or {pointer | pointers + join | value, transform}"));
            return null;
        }
        spec.fieldNames().forEachRemaining(name -> {
            if (!Set.of("pointer", "pointers", "join", "value", "transform").contains(name)) {
                errors.add(new FieldError(at + "." + name, "is not a mapping field: pointer, pointers, join, value, transform"));
            }
        });
        List<Transform> transforms = new ArrayList<>();
        JsonNode transform = spec.path("transform");
        if (!transform.isMissingNode()) {
            List<JsonNode> names = new ArrayList<>();
            if (transform.isArray()) {
                transform.forEach(names::add);
            } else {
                names.add(transform);
            }
            for (JsonNode name : names) {
                Transform known = name.isTextual() ? Transform.of(name.asText()) : null;
                if (known == null) {
                    errors.add(new FieldError(at + ".transform", "must be lower, upper, trim, firstWord, afterFirstWord or number"));
                } else {
                    transforms.add(known);
                }
            }
        }
        int forms = (spec.has("value") ? 1 : 0) + (spec.has("pointer") ? 1 : 0) + (spec.has("pointers") ? 1 : 0);
        if (forms != 1) {
            errors.add(new FieldError(at, "needs exactly one of value, pointer, pointers"));
            return null;
        }
        if (spec.has("value")) {
            if (!spec.get("value").isValueNode() || spec.get("value").isNull()) {
                errors.add(new FieldError(at + ".value", "must be text, a number or a boolean"));
                return null;
            }
            return new Rule(field, spec.get("value"), List.of(), "", List.of());
        }
        List<String> texts = new ArrayList<>();
        if (spec.has("pointer")) {
            texts.add(spec.get("pointer").asText());
        } else if (spec.get("pointers").isArray() && !spec.get("pointers").isEmpty() && spec.get("pointers").size() <= MAX_POINTERS) {
            spec.get("pointers").forEach(p -> texts.add(p.asText()));
        } else {
            errors.add(new FieldError(at + ".pointers", "must be 1 to " + MAX_POINTERS + " JSON pointers"));
            return null;
        }
        String join = spec.has("join") ? spec.get("join").asText() : " ";
        if (join.length() > 10) {
            errors.add(new FieldError(at + ".join", "is at most 10 characters"));
        }
        return pointers(texts, at, errors).map(p -> new Rule(field, null, p, join, List.copyOf(transforms))).orElse(null);
    }

    private static Optional<List<JsonPointer>> pointers(List<String> texts, String at, List<FieldError> errors) {
        List<JsonPointer> compiled = new ArrayList<>();
        for (String text : texts) {
            try {
                if (text.length() > 500 || !text.startsWith("/")) {
                    throw new IllegalArgumentException("must start with /");
                }
                compiled.add(JsonPointer.compile(text));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(at, "must be a JSON pointer (RFC 6901) such as /properties/email/value"));
                return Optional.empty();
            }
        }
        return Optional.of(compiled);
    }

    private static Signature signature(JsonNode spec, List<FieldError> errors) {
        String header = spec.path("header").asText("");
        String encoding = spec.path("encoding").asText("hex");
        String secret = spec.path("secret").asText("");
        String prefix = spec.path("prefix").asText("");
        if (!HEADER.matcher(header).matches()) {
            errors.add(new FieldError("signature.header", "must be a header name"));
        }
        if (!encoding.equals("hex") && !encoding.equals("base64")) {
            errors.add(new FieldError("signature.encoding", "must be hex or base64"));
        }
        if (secret.length() < 16 || secret.length() > 500) {
            errors.add(new FieldError("signature.secret", "must be 16 to 500 characters"));
        }
        if (prefix.length() > 20) {
            errors.add(new FieldError("signature.prefix", "is at most 20 characters, such as sha256="));
        }
        return new Signature(header, encoding.equals("base64"), prefix, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The document as shown back: the secret is never returned. */
    static JsonNode shown(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        if (copy.has("signature") && copy.get("signature").isObject()) {
            ((ObjectNode) copy.get("signature")).put("secret", "(set)");
        }
        return copy;
    }
}
