package io.leadrouter.common;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem body; {@code code} is the stable, machine-readable part. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String code, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input: the JSON path of the field and why it was refused. */
    public record FieldError(String field, String reason) {
    }

    public static Problem of(int status, String code, String title, String detail, List<FieldError> errors) {
        return new Problem("urn:lead-router:problem:" + code.toLowerCase().replace('_', '-'), title, status, code, detail,
                errors);
    }
}
