package io.leadrouter.common;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error leaves as application/problem+json with a stable code; bad input is never a 500. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Fields the server owns: a caller naming one is told so instead of "unknown field". */
    private static final Set<String> SERVER_OWNED = Set.of("id", "status", "ownerRepId", "priority", "attempts",
            "createdAt", "assignedAt", "closedAt", "presence", "activeLoad", "loadPoints", "holdReason", "outcome");

    @ServerExceptionMapper
    public Response refused(DomainException e) {
        return problem(problemOf(e));
    }

    /** The problem+json of a domain refusal, with its kind's status. */
    public static Problem problemOf(DomainException e) {
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNPROCESSABLE -> 422;
        };
        return of(status, e.code(), e.getMessage(), e.errors());
    }

    private static Problem of(int status, String code, String detail, List<Problem.FieldError> errors) {
        return Problem.of(status, code, title(status), detail, errors);
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
            case 429 -> "Too many requests";
            default -> status >= 500 ? "Internal error" : "Request refused";
        };
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .collect(Collectors.toList());
        return problem(problemOf(DomainException.invalid(errors)));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return problem(jsonProblem(e));
    }

    // Quarkus REST maps these two itself; more specific mappers win, so ours are declared for them too
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return problem(jsonProblem(e));
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException e) {
        return problem(jsonProblem(e));
    }

    /** The precise problem for JSON that could not be read as the expected type (also used per batch item). */
    public static Problem jsonProblem(JsonProcessingException e) {
        if (e instanceof NulCharacterException nul) {
            return of(400, "INVALID_FIELD", "A field " + NulCharacter.REASON, List.of(new Problem.FieldError(path(nul), nul.reason())));
        }
        StreamConstraintsException limit = limitOf(e);
        if (limit != null) {
            // the parser stopped at a limit (nesting, a number's or a text's length): nothing of the document is used
            String detail = limit.getOriginalMessage().startsWith("Document nesting depth")
                    ? "The JSON nests deeper than " + JacksonCustomizer.MAX_DEPTH + " levels of objects and arrays"
                    : "A number or text in the JSON is longer than the parser reads";
            List<Problem.FieldError> errors = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                    ? List.of(new Problem.FieldError(path(mapping), "exceeds a JSON limit"))
                    : List.of();
            return of(400, "LIMIT_EXCEEDED", detail, errors);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = unknown.getPropertyName();
            String path = path(unknown);
            if (SERVER_OWNED.contains(field)) {
                return of(400, "READ_ONLY_FIELD", "'" + field + "' is set by the server",
                        List.of(new Problem.FieldError(path, "is server-owned and cannot be set")));
            }
            return of(400, "UNKNOWN_FIELD", "'" + field + "' is not a known field",
                    List.of(new Problem.FieldError(path, "unknown field")));
        }
        if (e instanceof JsonParseException) {
            return of(400, "MALFORMED_JSON", "The body is not valid JSON: " + e.getOriginalMessage(), List.of());
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String reason = e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                    && invalid.getTargetType().isEnum()
                            ? "must be one of " + List.of(invalid.getTargetType().getEnumConstants())
                            : "has the wrong type or format";
            return of(400, "INVALID_FIELD", "A field has the wrong type or format",
                    List.of(new Problem.FieldError(path(mapping), reason)));
        }
        return of(400, "MALFORMED_JSON", "The body does not have the expected shape", List.of());
    }

    private static StreamConstraintsException limitOf(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(problem(of(401, "UNAUTHORIZED",
                "A valid 'Authorization: Bearer <api-key>' header is required", List.of())))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimited e) {
        return Response.fromResponse(problem(of(429, "RATE_LIMITED", e.getMessage(), List.of())))
                .header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(of(403, "FORBIDDEN", "This credential may not call this operation", List.of()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String code = switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> "BAD_REQUEST";
        };
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        return problem(of(status, code, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected error", e);
        return problem(of(500, "INTERNAL", "An unexpected error occurred", List.of()));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "$" : path.toString();
    }

    /**
     * The JSON path of a violation: method and parameter nodes dropped, map keys and list indexes
     * in brackets ("create.request.requiredSkills&lt;map value&gt;[saas]" becomes "requiredSkills[saas]").
     */
    public static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR
                    || kind == ElementKind.CROSS_PARAMETER || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.isInIterable()) {
                field.append('[').append(node.getKey() != null ? node.getKey() : node.getIndex()).append(']');
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        if (field.isEmpty()) {
            // a header or query parameter itself (its name), or a whole body
            return parameter == null || "request".equals(parameter) || "document".equals(parameter) ? "$" : parameter;
        }
        return field.toString();
    }
}
