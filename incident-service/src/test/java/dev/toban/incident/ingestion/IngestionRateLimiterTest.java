package dev.toban.incident.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IngestionRateLimiterTest {

    @Test
    void aKeyGetsItsBurstThenWaitsWhileOtherKeysAreUnaffected() {
        IngestionRateLimiter limiter = new IngestionRateLimiter(60, 5);
        UUID noisy = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.tryAcquire(noisy), "burst token " + i);
        }
        assertFalse(limiter.tryAcquire(noisy));
        assertTrue(limiter.tryAcquire(UUID.randomUUID()));
        assertEquals(1, limiter.retryAfterSeconds(), "60 per minute: one token per second");
    }

    @Test
    void pagerDutysRateNeedsHalfASecondPerEvent() {
        assertEquals(1, new IngestionRateLimiter(120, 120).retryAfterSeconds());
        assertEquals(6, new IngestionRateLimiter(10, 1).retryAfterSeconds());
    }
}
