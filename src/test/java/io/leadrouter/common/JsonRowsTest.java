package io.leadrouter.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.lead.Lead;
import io.leadrouter.rep.Rep;
import io.leadrouter.support.AgentClient;
import io.leadrouter.support.Api;
import io.leadrouter.support.SocketTest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The hot paths read leads and reps as JSON text by their columns' names ({@link JsonRows}) and run their statements
 * direct on the session's connection ({@link Sql#direct}): each field must come back as the ORM's mapping reads it.
 */
@QuarkusTest
class JsonRowsTest extends SocketTest {

    private static final Sql.Direct LEAD = Sql.Direct.of("SELECT cast(to_jsonb(l) AS text) FROM lead l WHERE id = :id");
    private static final Sql.Direct REP = Sql.Direct.of("SELECT cast(to_jsonb(r) AS text) FROM rep r WHERE id = :id");

    @Inject
    JsonRows rows;

    @Test
    void aClosedLeadAndItsRepReadAsJsonTextEqualTheOrmsEntitiesFieldByField() throws Throwable {
        String team = Api.newTeam();
        String repId = Api.rep(team, "email", "grace@example.org", "tier", 2, "skills", Map.of("sap", 3), "languages", List.of("de"),
                "territories", List.of("DE", "AT"), "timezone", "Europe/Berlin");
        String[] leadId = new String[1];
        try (AgentClient agent = online(repId)) {
            leadId[0] = Api.lead(team, "name", "Ada Lovelace", "email", "ada@example.org", "phone", "+49 30 1234567",
                    "company", "Analytical Engines GmbH", "country", "DE", "region", "BE", "postalCode", "10115",
                    "language", "de", "product", "router", "industry", "software", "value", 12500.5, "score", 80,
                    "requiredSkills", Map.of("sap", 2), "attributes", Map.of("accountId", "001-A", "seats", 40),
                    "externalId", "crm-" + UUID.randomUUID(), "source", "web");
            JsonNode offer = agent.await("offer", o -> o.path("lead").path("id").asText().equals(leadId[0]),
                    Duration.ofSeconds(10));
            agent.send(Map.of("type", "accept", "offerId", offer.path("offerId").asText()));
            agent.await("assigned");
            // while it holds the lead: a load of 1 and its presence, which pulls and offers read from this row
            Rep held = sameRep(repId);
            assertThat(held.activeLoad).isEqualTo(1);
            assertThat(held.lastAssignedAt).isNotNull();
            agent.send(Map.of("type", "close", "leadId", leadId[0], "outcome", "CONVERTED"));
            agent.await("closed");
        }
        UUID id = UUID.fromString(leadId[0]);

        Lead orm = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Lead.<Lead> findById(id)));
        Lead json = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Sql.direct(LEAD, Map.of("id", id))))
                .stream().map(row -> rows.read(row[0], Lead.class)).findFirst().orElseThrow();
        assertThat(differences(Lead.class, orm, json)).isEmpty();
        // every column the lead's life sets is compared, not only nulls against nulls
        assertThat(nullFields(Lead.class, orm)).containsExactlyInAnyOrder("holdReason", "heldAt", "escalatedAt",
                "recordModifiedAt");

        sameRep(repId);
    }

    /**
     * The rep read both ways, once they agree field by field; a presence change may land between the two reads (a
     * closed socket's grace period), but a mapping that is wrong never agrees.
     */
    private Rep sameRep(String repId) {
        Rep[] read = new Rep[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Rep orm = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Rep.<Rep> findById(repId)));
            Rep json = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Sql.direct(REP, Map.of("id", repId))))
                    .stream().map(row -> rows.read(row[0], Rep.class)).findFirst().orElseThrow();
            assertThat(differences(Rep.class, orm, json)).isEmpty();
            // the grace period of a closed socket sets presenceLapsesAt and later clears it
            assertThat(nullFields(Rep.class, orm)).filteredOn(field -> !field.equals("presenceLapsesAt"))
                    .containsExactlyInAnyOrder("pausedAt", "pausedBy", "pausedReason");
            read[0] = json;
        });
        return read[0];
    }

    @Test
    void namedParametersBecomePositionalOnceEachWhileCastsAndLiteralsStay() {
        Sql.Direct statement = Sql.Direct.of(
                "SELECT :a, x::text, split_part(t, ':', 1), :b FROM y WHERE z = :a AND w = cast(:c AS text)");
        assertThat(statement.sql()).isEqualTo("SELECT $1, x::text, split_part(t, ':', 1), $2 FROM y WHERE z = $1 AND w = cast($3 AS text)");
        assertThat(statement.names()).containsExactly("a", "b", "c");
    }

    private static List<String> differences(Class<?> type, Object orm, Object json) throws IllegalAccessException {
        List<String> differences = new ArrayList<>();
        for (Field field : columns(type)) {
            Object expected = field.get(orm);
            Object actual = field.get(json);
            if (!Objects.deepEquals(expected, actual)) {
                differences.add(field.getName() + ": " + expected + " read as " + actual);
            }
        }
        return differences;
    }

    private static List<String> nullFields(Class<?> type, Object entity) throws IllegalAccessException {
        List<String> nulls = new ArrayList<>();
        for (Field field : columns(type)) {
            if (field.get(entity) == null) {
                nulls.add(field.getName());
            }
        }
        return nulls;
    }

    /**
     * The entity's mapped fields: those it declares (Panache makes them protected behind accessors), neither static,
     * transient nor the enhancer's.
     */
    private static List<Field> columns(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.getName().startsWith("$$")) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        assertThat(fields).hasSizeGreaterThan(10);
        return fields;
    }
}
