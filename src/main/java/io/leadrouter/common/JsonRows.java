package io.leadrouter.common;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Table rows read as one JSON text each ({@code cast(to_jsonb(l) AS text)}) into their entity class, outside any
 * session, by the columns' names: a field is its column's name in camel case. One parse per row, where the ORM's
 * mapping took several passes for each JSON column (the driver's object, the format mapper, the snapshot).
 */
@ApplicationScoped
public class JsonRows {

    private final ObjectMapper columns;

    public JsonRows(ObjectMapper mapper) {
        // a column the class does not map (a later migration's) is left out, as the ORM leaves it
        this.columns = mapper.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public <T> T read(Object row, Class<T> type) {
        try {
            return columns.readValue((String) row, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored " + type.getSimpleName() + " did not read back", e);
        }
    }
}
