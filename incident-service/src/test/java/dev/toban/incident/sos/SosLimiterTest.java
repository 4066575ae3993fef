package dev.toban.incident.sos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The SOS count: one row per report, purged once it is older than the window. */
@QuarkusTest
class SosLimiterTest {

    @Inject
    SosLimiter limiter;

    @Test
    void sosReportsOlderThanTheWindowArePurged() {
        String reporter = "test:" + UUID.randomUUID();
        TestStack.update("insert into sos_report (id, reporter, reported_at) values (?, ?, now() - interval '11 minutes')",
                UUID.randomUUID(), reporter);
        TestStack.update("insert into sos_report (id, reporter, reported_at) values (?, ?, now())", UUID.randomUUID(), reporter);
        limiter.purge();
        assertEquals(1, TestStack.count("select count(*) from sos_report where reporter = ?", reporter));
    }
}
