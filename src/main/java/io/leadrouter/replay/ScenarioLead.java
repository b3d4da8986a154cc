package io.leadrouter.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One lead of a replay as the intake would have received it.
 *
 * @param sourceId the id in the source data; the lead's UUID derives from it, because routing
 *     breaks ties by a hash of the lead id and a replay must decide the same way every run
 * @param fields the lead's fields by REST contract name ({@code attributes} a nested map), what
 *     policy rules match on; {@code value}, {@code language}, {@code country}, {@code region} and
 *     {@code postalCode} also feed routing
 * @param crmScore the score the CRM sent, or null
 * @param requiredSkills skills the lead itself requires (policy rules may add more)
 */
public record ScenarioLead(String sourceId, Instant arrival, String team, Map<String, Object> fields, Integer crmScore,
        Map<String, Integer> requiredSkills) {

    public UUID id() {
        return UUID.nameUUIDFromBytes(sourceId.getBytes(StandardCharsets.UTF_8));
    }

    public Double value() {
        return fields.get("value") instanceof Number n ? n.doubleValue() : null;
    }

    String text(String field) {
        return fields.get(field) instanceof String s ? s : null;
    }
}
