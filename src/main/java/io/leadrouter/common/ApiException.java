package io.leadrouter.common;

import java.util.List;

/** A refusal the caller can act on; rendered as problem+json by {@link ProblemMappers}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<Problem.FieldError> errors;

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public ApiException(int status, String code, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = errors;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, "NOT_FOUND", what + " " + id + " does not exist");
    }

    public static ApiException invalid(List<Problem.FieldError> errors) {
        return new ApiException(400, "VALIDATION_FAILED", "The request has invalid fields", errors);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Problem toProblem() {
        return Problem.of(status, code, title(status), getMessage(), errors);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 409 -> "Conflict";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            default -> status >= 500 ? "Internal error" : "Request refused";
        };
    }
}
