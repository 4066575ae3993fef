package dev.toban.plumbing.problem;

import com.fasterxml.jackson.core.JsonParseException;
import dev.toban.plumbing.jobs.DatabaseOutage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every client error into an RFC 9457 {@code application/problem+json} body that names the
 * field, and a database outage into 503 with {@code Retry-After} instead of 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Seconds a client should wait when the database is unreachable. */
    static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toProblem().toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(err -> err.field() + ": " + err.message()).collect(Collectors.joining("; "));
        return Problem.of(400, "Invalid request", detail, errors).toResponse();
    }

    @ServerExceptionMapper
    public Response malformed(JsonParseException e) {
        return badJson("body", "is not well-formed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return badJson(pathOf(e), describeInvalidValue(e));
    }

    @ServerExceptionMapper
    public Response unknownProperty(UnrecognizedPropertyException e) {
        return badJson(pathOf(e), "is not a known field");
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        String type = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
        return badJson(pathOf(e), "has the wrong type; expected " + type);
    }

    @ServerExceptionMapper
    public Response instantiation(ValueInstantiationException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof ProblemException p) {
            return p.toProblem().toResponse();
        }
        return badJson(pathOf(e), cause.getMessage());
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        if (e.getCause() instanceof ProblemException p) {
            return p.toProblem().toResponse();
        }
        if (e.getCause() instanceof com.fasterxml.jackson.core.exc.StreamReadException read) {
            return badJson(pathOf(e), "is not well-formed JSON: " + read.getOriginalMessage());
        }
        return badJson(pathOf(e), e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return badJson("body", e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonParseException parse) {
            return malformed(parse);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return mapping(mapping);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        Response original = e.getResponse();
        if (original.hasEntity() || original.getStatus() < 400) {
            return original;
        }
        int status = original.getStatus();
        String title = Response.Status.fromStatusCode(status) == null
                ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA)
                .entity(Problem.of(status, title, e.getMessage(), List.of()));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    /** Keycloak unreachable before this service ever fetched its keys: say so instead of a bare 500. */
    @ServerExceptionMapper
    public Response identityProviderDown(io.quarkus.oidc.OIDCException e) {
        LOG.warnf("Sign-in service unavailable: %s", e.getMessage());
        return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS).type(Problem.MEDIA)
                .entity(Problem.of(503, "Sign-in service unavailable",
                        "Keycloak cannot be reached to check your token; retry shortly", List.of()))
                .build();
    }

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e) {
        return Problem.of(409, "Conflict", "The resource was changed concurrently; reload and retry", List.of())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        return fromDatabase(e);
    }

    @ServerExceptionMapper
    public Response sql(SQLException e) {
        return fromDatabase(e);
    }

    @ServerExceptionMapper
    public Response rollback(jakarta.transaction.RollbackException e) {
        return fromDatabase(e);
    }

    /** 503 while the database is unreachable, 409 for a constraint the service did not pre-check, else 500. */
    public static Response fromDatabase(Throwable e) {
        if (DatabaseOutage.isOutage(e)) {
            LOG.warnf("Database unavailable: %s", e.getMessage());
            return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS).type(Problem.MEDIA)
                    .entity(Problem.of(503, "Service unavailable",
                            "The database is unreachable; retry after " + RETRY_AFTER_SECONDS + " seconds", List.of()))
                    .build();
        }
        String state = sqlState(e);
        if (state != null && state.startsWith("23")) {
            return Problem.of(409, "Conflict", "The request conflicts with existing data", List.of()).toResponse();
        }
        LOG.error("Unexpected database error", e);
        return Problem.of(500, "Internal error", "An unexpected error occurred", List.of()).toResponse();
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static Response badJson(String field, String message) {
        return Problem.of(400, "Invalid request body", field + " " + message,
                List.of(new Problem.FieldError(field, message))).toResponse();
    }

    private static String describeInvalidValue(InvalidFormatException e) {
        Class<?> target = e.getTargetType();
        if (target != null && target.isEnum()) {
            return "must be one of " + Arrays.stream(target.getEnumConstants()).map(String::valueOf).toList();
        }
        return "has an invalid value '" + e.getValue() + "'"
                + (target == null ? "" : " for " + target.getSimpleName());
    }

    /** The JSON path of a mapping error, such as {@code layers[0].participants}; "body" for the root. */
    static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /** Drops the method and parameter nodes of a bean-validation path, keeping what the client sent. */
    static String fieldOf(ConstraintViolation<?> violation) {
        List<String> parts = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            String name = node.getName();
            if (node.getIndex() != null && !parts.isEmpty()) {
                int last = parts.size() - 1;
                parts.set(last, parts.get(last) + "[" + node.getIndex() + "]");
            }
            if (name != null && !name.startsWith("<")) {
                parts.add(name);
            }
        }
        if (!parts.isEmpty()) {
            return String.join(".", parts);
        }
        return parameter == null ? "body" : parameter;
    }
}
