package dev.toban.notify.template;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.util.List;

/**
 * A template text refused before it is saved: the same 400 problem on {@code source} as always, plus
 * what the pages need to say it in their own language (the problem's message is English).
 *
 * @param reason     what is wrong: {@link #SYNTAX}, {@link #RENDER}, {@link #EMPTY}, {@link #BLANK} or {@link #TOO_LONG}
 * @param line       the template line (1-based), or 0 when unknown
 * @param code       Qute's error code (e.g. {@code SECTION_END_DOES_NOT_MATCH_START}), or null
 * @param expression the template expression that failed to render, as written (e.g. {@code incident.titel}), or null
 */
public class TemplateRefusedException extends ProblemException {

    public static final String SYNTAX = "syntax";
    public static final String RENDER = "render";
    public static final String EMPTY = "empty";
    public static final String BLANK = "blank";
    public static final String TOO_LONG = "tooLong";

    private final String reason;
    private final int line;
    private final String code;
    private final String expression;

    TemplateRefusedException(String reason, int line, String code, String expression, String message) {
        super(400, "Invalid template", "source: " + message, List.of(new Problem.FieldError("source", message)));
        this.reason = reason;
        this.line = line;
        this.code = code;
        this.expression = expression;
    }

    public String reason() {
        return reason;
    }

    public int line() {
        return line;
    }

    public String code() {
        return code;
    }

    public String expression() {
        return expression;
    }

    /** The English message, as the API's problem carries it. */
    public String message() {
        return errors().get(0).message();
    }
}
