package dev.toban.plumbing.problem;

import java.util.List;

/** Thrown by services for a client error; mapped to an RFC 9457 response. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** 400 for one bad field. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "Invalid request", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** 400 for several bad fields at once. */
    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return new ProblemException(400, "Invalid request", errors.size() + " field(s) are invalid", errors);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "Not found", what + " " + id + " does not exist", List.of());
    }

    public static ProblemException conflict(String field, String message) {
        return new ProblemException(409, "Conflict", message,
                field == null ? List.of() : List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException forbidden(String message) {
        return new ProblemException(403, "Forbidden", message, List.of());
    }

    public Problem toProblem() {
        return Problem.of(status, title, getMessage(), errors);
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
