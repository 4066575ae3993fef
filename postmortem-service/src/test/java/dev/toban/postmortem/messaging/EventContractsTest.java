package dev.toban.postmortem.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.ContractCheck;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What this service's outbox writes matches the event contracts (dev.toban.contracts), also what earlier tests wrote;
 * the incident event that opens the postmortem is built as incident-service's contract has it (TestIncident).
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class EventContractsTest {

    @Test
    void everyEventInTheOutboxMatchesItsContract() {
        try (BrokerProbe broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.#")) {
            Api.open(broker, new TestIncident());
        }
        ContractCheck.Outbox outbox = ContractCheck.outbox();
        assertEquals(List.of(), outbox.problems());
        assertTrue(outbox.types().contains("toban.postmortem.opened"), outbox.types()::toString);
    }
}
