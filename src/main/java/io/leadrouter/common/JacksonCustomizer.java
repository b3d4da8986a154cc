package io.leadrouter.common;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Strict input for the one mapper that reads every client JSON (REST bodies, source payloads, socket frames): a number
 * where text is expected (or the reverse) is an error, not a silent conversion; text and keys holding U+0000 are
 * refused with their path; and no document nests deeper than {@link #MAX_DEPTH}, so nothing read recurses without
 * bound and nothing stored fails to be written out again.
 */
@Singleton
public class JacksonCustomizer implements ObjectMapperCustomizer {

    /**
     * Objects and arrays inside each other in one JSON document. A policy's conditions (10 levels, two each) and a
     * batch of leads with their attributes (8 levels) fit well within it.
     */
    public static final int MAX_DEPTH = 32;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType type : new LogicalType[] { LogicalType.Integer, LogicalType.Float, LogicalType.Boolean }) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        mapper.registerModule(new SimpleModule("nul-refusing-text")
                .addDeserializer(String.class, new NulRefusingText())
                .addKeyDeserializer(String.class, new NulRefusingKey()));
    }

    /** Every String the mapper binds (fields, list items, map values, untyped values), as Jackson reads it, without U+0000. */
    private static final class NulRefusingText extends StdScalarDeserializer<String> {

        NulRefusingText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null && NulCharacter.in(text)) {
                throw new NulCharacterException(parser, NulCharacter.REASON);
            }
            return text;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public boolean isCachable() {
            return true;
        }

        @Override
        public Object getEmptyValue(DeserializationContext context) {
            return "";
        }
    }

    /** Every String map key the mapper binds; the error's path ends in the key itself. */
    private static final class NulRefusingKey extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (NulCharacter.in(key)) {
                NulCharacterException refused = new NulCharacterException(context.getParser(), "is a key that " + NulCharacter.REASON);
                refused.prependPath(null, NulCharacter.shown(key));
                throw refused;
            }
            return key;
        }
    }
}
