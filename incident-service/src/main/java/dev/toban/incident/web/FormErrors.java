package dev.toban.incident.web;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.PageContext;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A refused form's problems in the page's language, by form field. The template asks for each field it shows
 * ({@link #at}); {@link #general} holds the rest (problems without a field, or about a field this form does not
 * show, prefixed with the field's label), for the banner above the form.
 */
@TemplateData
public final class FormErrors {

    static final FormErrors NONE = new FormErrors(Map.of(), List.of());

    private final Map<String, String> byField;
    private final List<String> general;

    private FormErrors(Map<String, String> byField, List<String> general) {
        this.byField = byField;
        this.general = general;
    }

    /**
     * The problem's messages; {@code fields} are the form's fields, {@code rename} turns the service's field
     * names into them (for example {@code owningTeamId} stays, {@code body} becomes null: no field).
     */
    static FormErrors of(PageContext ctx, ProblemException e, List<String> fields, UnaryOperator<String> rename) {
        Map<String, String> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        if (e.status() != 400) {
            // a rule (409, 403, 503): one sentence, beside its field when the form shows that field
            String text = ProblemTexts.message(ctx, e.getMessage());
            String field = e.errors().size() == 1 && e.errors().get(0).field() != null
                    ? rename.apply(e.errors().get(0).field()) : null;
            if (field != null && fields.contains(field)) {
                byField.put(field, text);
            } else {
                general.add(text);
            }
            return new FormErrors(byField, general);
        }
        for (Problem.FieldError error : e.errors()) {
            String field = error.field() == null ? null : rename.apply(error.field());
            String text = ProblemTexts.message(ctx, field, error.message());
            if (field != null && fields.contains(field)) {
                byField.merge(field, text, (a, b) -> a + " " + b);
            } else if (field != null) {
                general.add(ProblemTexts.field(ctx, field) + ": " + text);
            } else if (!general.contains(text)) {
                general.add(text);
            }
        }
        if (e.errors().isEmpty()) {
            general.add(ProblemTexts.message(ctx, e.getMessage()));
        }
        return new FormErrors(byField, general);
    }

    /** Every problem as one line each, for a page without fields next to them (labels in front). */
    static List<String> lines(PageContext ctx, ProblemException e) {
        FormErrors errors = of(ctx, e, List.of(), UnaryOperator.identity());
        return errors.general;
    }

    /** One problem of a field, for checks the page makes itself. */
    static FormErrors field(String field, String text) {
        return new FormErrors(Map.of(field, text), List.of());
    }

    /** The message for a field the form shows, or null. */
    public String at(String field) {
        return byField.get(field);
    }

    public boolean has(String field) {
        return byField.containsKey(field);
    }

    public boolean any() {
        return !byField.isEmpty() || !general.isEmpty();
    }

    public List<String> general() {
        return general;
    }
}
