package io.leadrouter.source;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.NulCharacter;
import io.leadrouter.common.Problem;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.lead.BatchResponse;
import io.leadrouter.lifecycle.LeadIntake;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Named intake sources: their mappings stored and shown, and senders' raw payloads taken in through them. */
@ApplicationScoped
public class SourceService {

    /** Items one payload may carry, as a batch. */
    static final int MAX_ITEMS = 1000;

    /** A source as the API shows it (its secret hidden). */
    public record Source(String name, JsonNode document, Instant createdAt, Instant updatedAt) {
    }

    /** What a payload came to: one lead answered like {@code POST /leads}, or many like a batch. */
    public record Taken(boolean single, BatchResponse batch) {
    }

    private static final String UPSERT = """
            INSERT INTO intake_source (name, document) VALUES (:name, cast(cast(:document AS text) AS jsonb))
            ON CONFLICT (name) DO UPDATE SET document = excluded.document, updated_at = now()
            RETURNING name, cast(document AS text), created_at, updated_at, created_at = updated_at
            """;
    private static final String COLUMNS = "name, cast(document AS text), created_at, updated_at";

    private final LeadIntake intake;
    private final ObjectMapper mapper;

    public SourceService(LeadIntake intake, ObjectMapper mapper) {
        this.intake = intake;
        this.mapper = mapper;
    }

    /** Stores the source; true when it is new. */
    public Uni<Map.Entry<Source, Boolean>> put(String name, JsonNode document) {
        checkName(name);
        List<Problem.FieldError> errors = new ArrayList<>();
        String nul = document == null ? null : NulCharacter.pathIn(document, "$");
        if (nul != null) {
            // the document is stored as sent (jsonb), which cannot hold it
            errors.add(new Problem.FieldError(nul, NulCharacter.REASON));
        }
        SourceMapping.compile(document, errors);
        if (!errors.isEmpty()) {
            throw DomainException.invalid("INVALID_SOURCE", "The source mapping has problems", errors);
        }
        return Panache.withTransaction(() -> Sql.rows(UPSERT, Map.of("name", name, "document", document.toString())))
                .map(rows -> Map.entry(source(rows.get(0)), (Boolean) rows.get(0)[4]));
    }

    public Uni<List<Source>> list() {
        return Panache.withSession(() -> Sql.rows("SELECT " + COLUMNS + " FROM intake_source ORDER BY name", Map.of()))
                .map(rows -> rows.stream().map(this::source).toList());
    }

    public Uni<Source> get(String name) {
        checkName(name);
        return Panache.withSession(() -> Sql.rows("SELECT " + COLUMNS + " FROM intake_source WHERE name = :name", Map.of("name", name)))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw DomainException.notFound("Source", name);
                    }
                    return source(rows.get(0));
                });
    }

    public Uni<Void> delete(String name) {
        checkName(name);
        return Panache.withTransaction(() -> Sql.update("DELETE FROM intake_source WHERE name = :name", Map.of("name", name)))
                .invoke(deleted -> {
                    if (deleted == 0) {
                        throw DomainException.notFound("Source", name);
                    }
                }).replaceWithVoid();
    }

    /** The source's mapping of one payload object to a lead, for a CSV import whose rows are the sender's records. */
    public Uni<UnaryOperator<ObjectNode>> mappingOf(String name) {
        return mapping(name).map(mapping -> mapping::lead);
    }

    /** The stored source, compiled; it was checked when it was stored. */
    private Uni<SourceMapping> mapping(String name) {
        checkName(name);
        return Panache.withSession(() -> Sql.list("SELECT cast(document AS text) FROM intake_source WHERE name = :name", String.class,
                Map.of("name", name))).map(found -> {
                    if (found.isEmpty()) {
                        throw DomainException.notFound("Source", name);
                    }
                    return SourceMapping.compile(read(found.get(0)), new ArrayList<>());
                });
    }

    /**
     * Takes a sender's raw payload through the source: the signature checked on the bytes as sent (nothing is stored
     * when it fails), then each object mapped to a lead and taken in as a batch item.
     *
     * @param signatureOf the value of a request header by name
     */
    public Uni<Taken> take(String name, byte[] body, Function<String, String> signatureOf, String key) {
        return mapping(name).chain(mapping -> {
            String header = mapping.signatureHeader();
            if (!mapping.verifies(body, header == null ? null : signatureOf.apply(header))) {
                throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "INVALID_SIGNATURE",
                        "The " + header + " header is not the HMAC-SHA256 of the body with this source's secret");
            }
            JsonNode payload = parse(body);
            if (payload.isArray() && (payload.isEmpty() || payload.size() > MAX_ITEMS)) {
                throw DomainException.invalid("INVALID_BATCH", "A payload holds 1 to " + MAX_ITEMS + " objects, not " + payload.size());
            }
            List<JsonNode> items = new ArrayList<>();
            if (payload.isArray()) {
                payload.forEach(item -> items.add(item.isObject() ? mapping.lead(item) : item));
            } else if (payload.isObject()) {
                items.add(mapping.lead(payload));
            } else {
                throw DomainException.invalid("INVALID_PAYLOAD", "The payload must be a JSON object or an array of objects");
            }
            return intake.takeAll(items, key).map(batch -> new Taken(!payload.isArray(), batch));
        });
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode payload = mapper.readTree(body);
            if (payload == null || payload.isMissingNode()) {
                throw DomainException.invalid("MISSING_BODY", "The request needs the sender's JSON payload");
            }
            return payload;
        } catch (JsonProcessingException e) {
            throw DomainException.invalid("MALFORMED_JSON", "The payload is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw DomainException.invalid("MALFORMED_JSON", "The payload could not be read");
        }
    }

    private JsonNode read(String document) {
        try {
            return mapper.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored source is not JSON", e);
        }
    }

    private Source source(Object[] row) {
        return new Source((String) row[0], SourceMapping.shown(read((String) row[1])), Timestamps.of(row[2]), Timestamps.of(row[3]));
    }

    private static void checkName(String name) {
        if (name == null || !SourceMapping.NAME.matcher(name).matches()) {
            throw DomainException.invalid("INVALID_FIELD", "A source name is 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit",
                    List.of(new Problem.FieldError("name", "must be 1 to 64 of a-z, 0-9, _ -")));
        }
    }
}
