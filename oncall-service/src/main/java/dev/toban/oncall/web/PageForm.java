package dev.toban.oncall.web;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.FormValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;

/**
 * Every field of the posted page form, including indexed names such as {@code contactMethods[0].address}:
 * the settings forms name their fields like the API's field paths, so a refused field's problem lands
 * next to the field that was typed. The resource method must declare at least one {@code @RestForm}
 * parameter, so that RESTEasy parses the form before the method runs.
 */
final class PageForm {

    /** Most rows of one repeated group a form may send (the API's own limits are lower). */
    static final int MAX_ROWS = 100;

    private final Map<String, List<String>> values;
    private final List<Problem.FieldError> errors = new ArrayList<>();

    PageForm(Map<String, List<String>> values) {
        this.values = values;
    }

    static PageForm current() {
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        FormData data = request == null ? null : request.getFormData();
        Map<String, List<String>> values = new HashMap<>();
        if (data != null) {
            for (String name : data) {
                List<String> list = new ArrayList<>();
                for (FormValue v : data.get(name)) {
                    if (!v.isFileItem()) {
                        list.add(v.getValue());
                    }
                }
                values.put(name, list);
            }
        }
        return new PageForm(values);
    }

    /** The first value of the field, or null. */
    String one(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** Every value of a repeated field, in the order sent. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean checked(String name) {
        String v = one(name);
        return v != null && !v.isBlank();
    }

    /** A stripped single-line value (null when blank); a bad one is recorded for {@link #throwIfInvalid}. */
    String line(String name, int max) {
        return read(name, () -> FormValues.line(name, one(name), max));
    }

    /** Stripped text that may have line breaks (null when blank). */
    String text(String name, int max) {
        return read(name, () -> FormValues.text(name, one(name), max));
    }

    Integer integer(String name) {
        return read(name, () -> FormValues.integer(name, one(name)));
    }

    UUID uuid(String name) {
        return read(name, () -> FormValues.uuid(name, one(name)));
    }

    java.time.LocalDate date(String name) {
        return read(name, () -> FormValues.date(name, one(name)));
    }

    java.time.LocalDateTime dateTime(String name) {
        return read(name, () -> FormValues.dateTime(name, one(name)));
    }

    /** An HTML time field (HH:MM). */
    java.time.LocalTime time(String name) {
        return read(name, () -> {
            String v = one(name);
            if (v == null || v.isBlank()) {
                return null;
            }
            try {
                return java.time.LocalTime.parse(v.strip());
            } catch (java.time.DateTimeException e) {
                throw ProblemException.invalid(name, "is not a time (HH:MM)");
            }
        });
    }

    /** Records that {@code name} is required when {@code value} is null; returns the value. */
    <T> T required(String name, T value) {
        if (value == null && errors.stream().noneMatch(e -> e.field().equals(name))) {
            errors.add(new Problem.FieldError(name, "is required"));
        }
        return value;
    }

    /** One 400 naming every field that could not be read, if any. */
    void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(List.copyOf(errors));
        }
    }

    /** The parsed value, or null with the problem recorded for {@link #throwIfInvalid}. */
    <T> T read(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ProblemException e) {
            errors.addAll(e.errors().isEmpty() ? List.of(new Problem.FieldError(name, e.getMessage())) : e.errors());
            return null;
        }
    }

    /** How many rows {@code group[0]}, {@code group[1]}... the form sent (one past the highest index). */
    int rows(String group) {
        Pattern indexed = Pattern.compile("^" + Pattern.quote(group) + "\\[(\\d{1,4})\\]");
        int rows = 0;
        for (String name : values.keySet()) {
            Matcher m = indexed.matcher(name);
            if (m.find()) {
                rows = Math.max(rows, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (rows > MAX_ROWS) {
            throw ProblemException.invalid(group, "has too many rows");
        }
        return rows;
    }
}
