package io.leadrouter.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/** JSON text or a key holding U+0000, refused as it is read; the path is the field's ({@link ProblemMappers}). */
final class NulCharacterException extends JsonMappingException {

    private final String reason;

    NulCharacterException(JsonParser parser, String reason) {
        super(parser, "A field " + NulCharacter.REASON);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
