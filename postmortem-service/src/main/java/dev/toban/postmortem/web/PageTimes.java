package dev.toban.postmortem.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Times on the postmortem pages: written in a named zone (the meeting's or the team's, which the page
 * shows); {@link PageForms} reads them back.
 */
@TemplateExtension
public final class PageTimes {

    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    private PageTimes() {
    }

    /** {@code {meeting.start.at(zone)}}. */
    static String at(Instant instant, String zone) {
        return instant == null ? "" : DATE_TIME.format(instant.atZone(ZoneId.of(zone)));
    }

    /** {@code {meeting.start.input(zone)}}: a datetime-local value. */
    static String input(Instant instant, String zone) {
        return instant == null ? "" : INPUT.format(instant.atZone(ZoneId.of(zone)));
    }

    /** {@code {ctx.t(p.state.key)}}: the text key of a state, decision, status or participant source. */
    static String key(dev.toban.postmortem.model.WireEnum value) {
        String prefix = switch (value) {
            case dev.toban.postmortem.model.PostmortemState s -> "state.";
            case dev.toban.postmortem.model.Decision d -> "decision.";
            case dev.toban.postmortem.model.ActionItemStatus a -> "item.status.";
            default -> "source.";
        };
        return prefix + value.wire();
    }

    /** {@code {downtime.totalSeconds.asMinutes}}: whole minutes, or a dash when unknown. */
    static String asMinutes(Long seconds) {
        return seconds == null ? "—" : Long.toString(Math.round(seconds / 60.0));
    }
}
