package dev.toban.notify.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    static final Duration INITIAL = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofMinutes(5);

    @Test
    void theDefaultScheduleSpansASlackOutageOfManyMinutesBeforeADeliveryDies() {
        // 12 attempts = 11 waits
        long shortest = 0;
        long longest = 0;
        for (int attempt = 1; attempt <= 11; attempt++) {
            shortest += Backoff.delay(attempt, INITIAL, MAX, 0.0).toMillis();
            longest += Backoff.delay(attempt, INITIAL, MAX, 0.999999).toMillis();
        }
        assertTrue(shortest >= Duration.ofMinutes(18).toMillis(), "shortest schedule " + shortest / 1000 + " s");
        assertTrue(longest <= Duration.ofMinutes(29).toMillis(), "longest schedule " + longest / 1000 + " s");
    }

    @Test
    void delaysDoubleWithJitterAndStopAtTheCap() {
        assertEquals(Duration.ofMillis(2000), Backoff.delay(1, INITIAL, MAX, 0.5));
        assertEquals(Duration.ofMillis(4000), Backoff.delay(2, INITIAL, MAX, 0.5));
        assertEquals(Duration.ofMillis(1600), Backoff.delay(1, INITIAL, MAX, 0.0));
        assertEquals(MAX, Backoff.delay(30, INITIAL, MAX, 0.5));
        assertTrue(Backoff.delay(30, INITIAL, MAX, 0.999).compareTo(MAX.multipliedBy(6).dividedBy(5)) <= 0);
    }
}
