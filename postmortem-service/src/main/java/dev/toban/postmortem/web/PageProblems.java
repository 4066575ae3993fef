package dev.toban.postmortem.web;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.PageContext;
import dev.toban.postmortem.access.NotPublishedException;
import dev.toban.postmortem.meeting.MeetingNotStartedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the postmortem pages say about a refused action, in the page language. The service layer's problems
 * are English (the API's); an English page shows them as they are, a Japanese page says the same in Japanese:
 * the field's label and the known messages, else what kind of refusal it was. Never a raw English text, nor an id.
 */
final class PageProblems {

    /** English messages of the service layer a Japanese page says in its own words, by text key. */
    private static final List<Known> KNOWN = List.of(
            new Known(Pattern.compile("is required.*"), "problem.required"),
            new Known(Pattern.compile("must not be blank"), "problem.required"),
            new Known(Pattern.compile("is not a date and time.*"), "problem.dateTime"),
            new Known(Pattern.compile("is not a date \\(.*"), "problem.date"),
            new Known(Pattern.compile("is not a whole number"), "problem.number"),
            new Known(Pattern.compile("is not a valid id"), "problem.choose"),
            new Known(Pattern.compile("choose hold or skip"), "problem.choose"),
            new Known(Pattern.compile("is in the past \\(today is .*"), "problem.pastDate"),
            new Known(Pattern.compile("is in the past.*"), "problem.past"),
            new Known(Pattern.compile("is more than a year ahead"), "problem.tooFar"),
            new Known(Pattern.compile("must be between 15 and 480"), "problem.duration"),
            new Known(Pattern.compile("must be at most \\d+ characters|is too long"), "problem.tooLong"),
            new Known(Pattern.compile("is not an email address"), "problem.email"),
            new Known(Pattern.compile("is already a participant"), "problem.participant"),
            new Known(Pattern.compile("is \\d+ but the .* is at version.*|is missing; reload the page"), "problem.stale"),
            new Known(Pattern.compile("overlaps another postmortem meeting.*"), "problem.overlap"),
            new Known(Pattern.compile("no free slot in working hours.*"), "problem.noSlot"),
            new Known(Pattern.compile("applies to hold only"), "problem.holdOnly"),
            new Known(Pattern.compile("a published postmortem is read-only"), "problem.readOnly"));

    private record Known(Pattern message, String key) {
    }

    private PageProblems() {
    }

    /** The service layer's names of fields the forms name otherwise. */
    private static final Map<String, String> FORM_FIELDS = Map.of("ownerId", "owner", "meeting.start", "start");

    /**
     * The problems with {@code fields} (the refused form's), by field, in the page language: shown beside each
     * field. A rule's refusal (403, 409) stays with the page's message unless it names one of these fields.
     */
    static Map<String, String> byField(PageContext ctx, ProblemException e, Set<String> fields) {
        Map<String, String> byField = new LinkedHashMap<>();
        for (Problem.FieldError f : e.errors()) {
            String field = f.field() == null ? null : FORM_FIELDS.getOrDefault(f.field(), f.field());
            if (field != null && fields.contains(field)) {
                byField.merge(field, fieldMessage(ctx, e, f), (a, b) -> a + " " + b);
            }
        }
        return byField;
    }

    private static String fieldMessage(PageContext ctx, ProblemException e, Problem.FieldError f) {
        if (!ctx.ja()) {
            return f.message();
        }
        return KNOWN.stream().filter(k -> k.message().matcher(f.message()).matches()).findFirst()
                .map(k -> ctx.t(k.key())).orElse(ctx.t("problem." + e.status()));
    }

    /**
     * What the page says above the forms: the problems not shown beside a field ({@code shown}), or null when
     * every one is. {@code zone} shows times (the meeting's start) the way the page does.
     */
    static String message(PageContext ctx, ProblemException e, String zone, Set<String> shown) {
        if (!shown.isEmpty() && e.errors().stream().allMatch(f -> f.field() != null
                && shown.contains(FORM_FIELDS.getOrDefault(f.field(), f.field())))) {
            return null;
        }
        return message(ctx, e, zone);
    }

    /**
     * The problem for the page. {@code zone} shows times (the meeting's start) the way the page does.
     */
    static String message(PageContext ctx, ProblemException e, String zone) {
        if (e instanceof MeetingNotStartedException notStarted) {
            return ctx.t("problem.meetingNotStarted").replace("{0}", PageTimes.at(notStarted.start(), zone) + " (" + zone + ")");
        }
        if (e instanceof NotPublishedException) {
            return ctx.t("postmortems.notPublished");
        }
        if (e.status() == 404) {
            return ctx.t("postmortems.notFound");
        }
        if (!ctx.ja()) {
            return e.getMessage();
        }
        if (!e.errors().isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (Problem.FieldError f : e.errors()) {
                String label = ctx.t("field." + f.field());
                String known = fieldMessage(ctx, e, f);
                text.append(text.isEmpty() ? "" : " ").append(label.startsWith("field.") ? "" : label + ": ").append(known);
            }
            return text.toString();
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Cannot ")) {
            return ctx.t("problem.state");
        }
        return ctx.t("problem." + e.status());
    }
}
