package dev.toban.incident.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aKeyGetsItsBurstThenWaitsWhileOtherKeysAreUnaffected() {
        RateLimiter limiter = new RateLimiter(60, 5);
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
        assertEquals(1, new RateLimiter(120, 120).retryAfterSeconds());
        assertEquals(6, new RateLimiter(10, 1).retryAfterSeconds());
    }
}
