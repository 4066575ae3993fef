package dev.toban.oncall.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.ContractCheck;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What this service's outbox writes matches the event contracts (dev.toban.contracts), also what earlier tests wrote. */
@QuarkusTest
class EventContractsTest {

    @Test
    void everyEventInTheOutboxMatchesItsContract() {
        String person = Fixtures.person("Contract Check");
        Fixtures.team(List.of(person));
        ContractCheck.Outbox outbox = ContractCheck.outbox();
        assertEquals(List.of(), outbox.problems());
        assertTrue(outbox.types().containsAll(List.of("toban.oncall.person.created", "toban.oncall.team.created")),
                outbox.types()::toString);
    }
}
