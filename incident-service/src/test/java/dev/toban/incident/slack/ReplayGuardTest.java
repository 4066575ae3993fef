package dev.toban.incident.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The reusable replay check: one row per signed request, purged once it no longer matters. */
@QuarkusTest
class ReplayGuardTest {

    @Inject
    ReplayGuard guard;

    @Test
    void aSignedRequestIsAcceptedOnceThenForgottenAfterItsWindow() throws Exception {
        String signature = "v0=" + UUID.randomUUID();
        long ts = Instant.now().getEpochSecond();
        assertTrue(guard.firstTime("test", ts, signature, Instant.now().plusSeconds(300)));
        assertFalse(guard.firstTime("test", ts, signature, Instant.now().plusSeconds(300)), "a replay");
        assertTrue(guard.firstTime("other", ts, signature, Instant.now().plusSeconds(300)), "sources are apart");

        String stale = "v0=" + UUID.randomUUID();
        assertTrue(guard.firstTime("test", ts - 3600, stale, Instant.now().minusSeconds(3600)));
        guard.purge();
        assertEquals(0, TestStack.count("select count(*) from signed_request where signature = ?", stale));
        assertEquals(1, TestStack.count("select count(*) from signed_request where signature = ? and source = 'test'",
                signature), "a fresh one stays");
    }
}
