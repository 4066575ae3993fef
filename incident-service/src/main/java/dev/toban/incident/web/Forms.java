package dev.toban.incident.web;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns form fields into the service layer's requests. The requests carry the same Bean Validation
 * rules as the REST API; pages call the services directly, so they check them here.
 */
@ApplicationScoped
public class Forms {

    private final Validator validator;

    public Forms(Validator validator) {
        this.validator = validator;
    }

    /** The request, or a 400 naming every field that breaks the API's rules. */
    public <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .toList());
        }
        return request;
    }

    /** An optional id field: null when empty, 400 when it is not an id. */
    public static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "is not an id");
        }
    }

    /** A required id field. */
    public static UUID requiredUuid(String field, String value) {
        UUID id = uuid(field, value);
        if (id == null) {
            throw ProblemException.invalid(field, "must not be empty");
        }
        return id;
    }

    /** What to show the user about a refused form: the fields' messages, or the problem's detail. */
    public static List<String> messages(ProblemException e) {
        return e.errors().isEmpty() ? List.of(e.getMessage())
                : e.errors().stream().map(f -> f.field() + ": " + f.message()).toList();
    }
}
