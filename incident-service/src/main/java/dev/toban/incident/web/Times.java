package dev.toban.incident.web;

import io.quarkus.qute.TemplateData;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Instants as the reader's wall clock: their own time zone from the people directory, else Tokyo for
 * Japanese and UTC for English browsers.
 */
@TemplateData
public record Times(ZoneId zone, boolean ja) {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    public static Times of(String personZone, boolean ja) {
        ZoneId zone;
        try {
            zone = personZone == null || personZone.isBlank() ? null : ZoneId.of(personZone);
        } catch (RuntimeException e) {
            zone = null; // a zone name Java does not know: fall back like for no zone
        }
        return new Times(zone != null ? zone : ja ? ZoneId.of("Asia/Tokyo") : ZoneId.of("UTC"), ja);
    }

    public String at(Instant instant) {
        return instant == null ? "" : DATE_TIME.format(instant.atZone(zone));
    }

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone));
    }

    /** The zone's short name for column headings, e.g. "Asia/Tokyo". */
    public String zoneName() {
        return zone.getId();
    }

    /** A duration in words: "3 min 20 s" / "3分20秒"; empty when unknown. */
    public String duration(Double seconds) {
        if (seconds == null) {
            return "–";
        }
        long s = Math.round(seconds);
        Duration d = Duration.ofSeconds(s);
        if (ja) {
            return d.toHours() > 0 ? d.toHours() + "時間" + d.toMinutesPart() + "分"
                    : d.toMinutes() > 0 ? d.toMinutes() + "分" + d.toSecondsPart() + "秒" : s + "秒";
        }
        return d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min"
                : d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : s + " s";
    }
}
