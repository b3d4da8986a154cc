package io.leadrouter.common;

import java.util.List;

/**
 * A refusal the caller can act on, raised by services with a stable code and a kind; the edges decide what it looks
 * like: the REST edge as problem+json with the kind's status ({@link ProblemMappers}), the agent socket as an
 * {@code error} frame with the code.
 */
public class DomainException extends RuntimeException {

    /** What kind of refusal: the REST edge answers 400, 401, 403, 404, 409 and 422 for them. */
    public enum Kind {
        /** the request is malformed or has invalid fields */
        INVALID,
        /** the request does not prove who sent it (a payload's signature does not verify) */
        UNAUTHENTICATED,
        /** the caller may not do this */
        FORBIDDEN,
        /** what it names does not exist */
        NOT_FOUND,
        /** the state does not allow it now (expired, already closed, at capacity) */
        CONFLICT,
        /** well-formed, but its content cannot be accepted (an idempotency key reused with another body) */
        UNPROCESSABLE
    }

    private final Kind kind;
    private final String code;
    private final List<Problem.FieldError> errors;

    public DomainException(Kind kind, String code, String detail) {
        this(kind, code, detail, List.of());
    }

    public DomainException(Kind kind, String code, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.kind = kind;
        this.code = code;
        this.errors = errors;
    }

    public static DomainException notFound(String what, Object id) {
        return new DomainException(Kind.NOT_FOUND, "NOT_FOUND", what + " " + id + " does not exist");
    }

    public static DomainException invalid(List<Problem.FieldError> errors) {
        return new DomainException(Kind.INVALID, "VALIDATION_FAILED", "The request has invalid fields", errors);
    }

    public static DomainException invalid(String code, String detail) {
        return new DomainException(Kind.INVALID, code, detail);
    }

    public static DomainException invalid(String code, String detail, List<Problem.FieldError> errors) {
        return new DomainException(Kind.INVALID, code, detail, errors);
    }

    public static DomainException forbidden(String code, String detail) {
        return new DomainException(Kind.FORBIDDEN, code, detail);
    }

    public static DomainException conflict(String code, String detail) {
        return new DomainException(Kind.CONFLICT, code, detail);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
