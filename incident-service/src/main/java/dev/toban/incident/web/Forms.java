package dev.toban.incident.web;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;

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
}
