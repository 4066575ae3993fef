package dev.toban.incident.slack;

import dev.toban.contracts.incident.IncidentState;
import dev.toban.incident.web.ProblemTexts;
import dev.toban.incident.web.Times;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.web.PageContext;
import java.time.Instant;

/**
 * The Slack app's texts in one person's language: the {@code slack.*} texts of {@code web/incident_*.properties}
 * (ja and en, like every page text), the service layer's problems through {@link ProblemTexts} (a Japanese reader
 * never gets an English sentence), and times in the person's time zone. Everything that came from outside (names,
 * titles, typed text) is escaped for Slack ({@link #esc}), so it cannot become a mention or a link.
 */
public final class SlackTexts {

    private final PageContext ctx;
    private final Times times;

    SlackTexts(PageContext ctx, String timeZone) {
        this.ctx = ctx;
        this.times = Times.of(timeZone, ctx.ja());
    }

    public String lang() {
        return ctx.lang();
    }

    public boolean ja() {
        return ctx.ja();
    }

    /** The text {@code key} with {@code {0}}, {@code {1}}... filled in as given (escape what came from outside). */
    public String t(String key, Object... args) {
        String[] values = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i] == null ? "" : String.valueOf(args[i]);
        }
        return ProblemTexts.fill(ctx.t(key), values);
    }

    /** A service-layer refusal in this language. */
    public String problem(ProblemException e) {
        return esc(ProblemTexts.message(ctx, e.getMessage()));
    }

    /** A field's problem in this language ("choose from the list" for a missing choice). */
    public String problem(String field, String english) {
        return ProblemTexts.message(ctx, field, english);
    }

    public String state(IncidentState state) {
        return ctx.t("state." + state.wire());
    }

    public String verb(String verb) {
        return ctx.t("slack.verb." + verb);
    }

    /** An instant on the person's wall clock ({@code yyyy-MM-dd HH:mm}). */
    public String at(Instant instant) {
        return times.at(instant);
    }

    /**
     * Text from outside as Slack shows it literally: {@code &}, {@code <} and {@code >} escaped (Slack's only
     * control characters), so {@code <!channel>}, {@code <@U123>} or {@code <https://x|y>} stay plain text.
     */
    public static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
