package dev.toban.oncall.web;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.PageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A refused form's problems in the page's language, by field. The page asks for the message of each
 * field it shows ({@link #at}); {@link #others} is what is left (problems without a field, or about a
 * field the form does not show), for the banner above the form.
 */
public final class FormErrors {

    static final FormErrors NONE = new FormErrors(Map.of(), List.of());

    private final Map<String, String> byField;
    private final List<String> general;
    private final Set<String> shown = new LinkedHashSet<>();

    private FormErrors(Map<String, String> byField, List<String> general) {
        this.byField = byField;
        this.general = general;
    }

    /**
     * The problem with its field names turned into the form's ({@code fieldToForm}): the service numbers the
     * rows it was given, the form also has rows it left out (blank, removed).
     */
    static ProblemException renamed(ProblemException e, java.util.function.UnaryOperator<String> fieldToForm) {
        if (e.errors().isEmpty()) {
            return e;
        }
        return new ProblemException(e.status(), e.status() == 409 ? "Conflict" : "Invalid request", e.getMessage(),
                e.errors().stream().map(f -> new Problem.FieldError(
                        f.field() == null ? null : fieldToForm.apply(f.field()), f.message())).toList());
    }

    static FormErrors of(PageContext ctx, ProblemException e) {
        Map<String, String> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (Problem.FieldError error : e.errors()) {
            String text = ProblemTexts.message(ctx, error.message());
            if (error.field() == null || error.field().isBlank()) {
                general.add(text);
            } else {
                byField.merge(error.field(), text, (a, b) -> a + " " + b);
            }
        }
        if (e.errors().isEmpty() || e.status() != 400 && e.errors().stream().allMatch(f -> f.field() == null)) {
            general.add(ProblemTexts.message(ctx, e.getMessage()));
        }
        return new FormErrors(byField, general);
    }

    /** The message for a field the form shows, or null. */
    String at(String field) {
        shown.add(field);
        return byField.get(field);
    }

    boolean any() {
        return !byField.isEmpty() || !general.isEmpty();
    }

    /** Messages no field of the form showed. */
    List<String> others() {
        List<String> out = new ArrayList<>(general);
        byField.forEach((field, text) -> {
            if (!shown.contains(field)) {
                out.add(field + ": " + text);
            }
        });
        return out;
    }
}
