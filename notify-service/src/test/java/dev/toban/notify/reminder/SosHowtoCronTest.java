package dev.toban.notify.reminder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The reminder's cron, read as the Quarkus scheduler read it (Quartz, seconds first) in the configured zone. */
class SosHowtoCronTest {

    @Test
    void theDefaultIsMondaysAtTenInTheConfiguredZone() {
        Function<Instant, Instant> next = SosHowtoReminder.nextAfter("0 0 10 ? * MON", ZoneId.of("Asia/Tokyo"));
        // Sunday 2026-03-01 12:00 JST -> Monday 2026-03-02 10:00 JST
        assertEquals(Instant.parse("2026-03-02T01:00:00Z"), next.apply(Instant.parse("2026-03-01T03:00:00Z")));
        // at the time itself: the next one, a week later
        assertEquals(Instant.parse("2026-03-09T01:00:00Z"), next.apply(Instant.parse("2026-03-02T01:00:00Z")));
        Function<Instant, Instant> berlin = SosHowtoReminder.nextAfter("0 0 10 ? * MON", ZoneId.of("Europe/Berlin"));
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), berlin.apply(Instant.parse("2026-03-01T03:00:00Z")));
    }

    @Test
    void theTestProfilesEveryThreeSeconds() {
        Function<Instant, Instant> next = SosHowtoReminder.nextAfter("*/3 * * * * ?", ZoneId.of("Asia/Tokyo"));
        assertEquals(Instant.parse("2026-03-01T03:00:03Z"), next.apply(Instant.parse("2026-03-01T03:00:00.500Z")));
        assertEquals(Instant.parse("2026-03-01T03:00:06Z"), next.apply(Instant.parse("2026-03-01T03:00:03Z")));
    }

    @Test
    void aMalformedCronIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SosHowtoReminder.nextAfter("0 10 * * MON", ZoneId.of("UTC")));
        assertThrows(IllegalArgumentException.class, () -> SosHowtoReminder.nextAfter("every monday", ZoneId.of("UTC")));
    }
}
