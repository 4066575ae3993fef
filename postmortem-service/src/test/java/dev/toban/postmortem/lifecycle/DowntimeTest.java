package dev.toban.postmortem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.toban.postmortem.model.Postmortem;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Downtime by the one definition (docs/architecture.md, "Downtime"): detect = first signal -> incident,
 * assign = incident -> IC acknowledged, mitigate = acknowledged -> mitigated, and the parts add up to the total.
 */
class DowntimeTest {

    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    static Postmortem incident(Instant signal, Instant created, Instant acknowledged, Instant assigned, Instant mitigated,
                               Instant resolved) {
        Postmortem p = new Postmortem();
        p.problemStartedAt = signal;
        p.incidentCreatedAt = created;
        p.acknowledgedAt = acknowledged;
        p.assignedAt = assigned;
        p.mitigatedAt = mitigated;
        p.resolvedAt = resolved;
        return p;
    }

    static void adds(Views.Downtime d) {
        assertEquals(d.totalSeconds(), d.timeToDetectSeconds() + d.timeToAssignSeconds() + d.timeToMitigateSeconds(), d.toString());
    }

    @Test
    void assignEndsWithTheIcsAcknowledgementAndMitigateStartsThere() {
        Views.Downtime d = Snapshots.downtime(incident(T, T.plusSeconds(180), T.plusSeconds(300), T.plusSeconds(780),
                T.plusSeconds(3180), T.plusSeconds(4380)));
        assertEquals(180L, d.timeToDetectSeconds());
        assertEquals(120L, d.timeToAssignSeconds(), "incident -> acknowledged, not -> the team's assignment (600)");
        assertEquals(2880L, d.timeToMitigateSeconds(), "acknowledged -> mitigated, not assigned -> mitigated (2400)");
        assertEquals(3180L, d.totalSeconds());
        adds(d);
    }

    @Test
    void thePartsAddUpEvenWithFractionsOfSeconds() {
        Views.Downtime d = Snapshots.downtime(incident(T.plusMillis(900), T.plusMillis(60_200), T.plusMillis(90_700),
                null, T.plusMillis(150_100), null));
        adds(d);
        assertEquals(150L, d.totalSeconds());
        // and without an assignment of the team the parts are still there (before: mitigate from creation, no assign)
        assertEquals(30L, d.timeToAssignSeconds());
    }

    @Test
    void unknownTimes() {
        // declared by hand (no first signal): detection took no time
        Views.Downtime manual = Snapshots.downtime(incident(null, T, T.plusSeconds(60), null, T.plusSeconds(600), null));
        assertEquals(0L, manual.timeToDetectSeconds());
        adds(manual);
        // mitigated without an explicit acknowledgement: acknowledged when mitigated
        Views.Downtime unacknowledged = Snapshots.downtime(incident(T, T.plusSeconds(60), null, null, T.plusSeconds(600), null));
        assertEquals(540L, unacknowledged.timeToAssignSeconds());
        assertEquals(0L, unacknowledged.timeToMitigateSeconds());
        adds(unacknowledged);
        // resolved without a separate mitigation: resolution ends the downtime
        Views.Downtime resolved = Snapshots.downtime(incident(T, T.plusSeconds(60), T.plusSeconds(120), null, null,
                T.plusSeconds(900)));
        assertEquals(780L, resolved.timeToMitigateSeconds());
        adds(resolved);
        // not mitigated yet: the parts after the acknowledgement and the total are unknown
        Views.Downtime open = Snapshots.downtime(incident(T, T.plusSeconds(60), T.plusSeconds(120), null, null, null));
        assertEquals(60L, open.timeToAssignSeconds());
        assertNull(open.timeToMitigateSeconds());
        assertNull(open.totalSeconds());
    }
}
