package dev.toban.notify.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.ContractCheck;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What this service's outbox writes matches the event contracts (dev.toban.contracts), also what earlier tests wrote. */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class EventContractsTest extends NotifyTest {

    @Test
    void everyEventInTheOutboxMatchesItsContract() {
        String channel = uniqueChannel("contract");
        publishIncident(Events.triggered(UUID.randomUUID().toString(),
                Events.incident(UUID.randomUUID(), 901, channel, "triggered", 1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> ContractCheck.outbox().types()
                .contains("toban.notify.slack_thread.created"));
        assertEquals(List.of(), ContractCheck.outbox().problems());
    }
}
