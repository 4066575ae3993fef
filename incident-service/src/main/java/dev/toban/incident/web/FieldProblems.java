package dev.toban.incident.web;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Reads a form field by field and keeps every field's problem, so a refused form names them all at once. */
public final class FieldProblems {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** The field's value, or null with its problem kept (only the first problem of each field). */
    public <T> T read(Supplier<T> reading) {
        try {
            return reading.get();
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            for (Problem.FieldError error : e.errors()) {
                if (errors.stream().noneMatch(known -> known.field().equals(error.field()))) {
                    errors.add(error);
                }
            }
            return null;
        }
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(List.copyOf(errors));
        }
    }
}
