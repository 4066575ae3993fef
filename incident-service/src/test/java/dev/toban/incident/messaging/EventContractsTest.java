package dev.toban.incident.messaging;

import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.ContractCheck;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What this service's outbox writes matches the event contracts (dev.toban.contracts): one incident's life, plus
 * every other event the test run wrote before (the relay keeps published rows for a while).
 */
@QuarkusTest
class EventContractsTest {

    @Test
    void everyEventInTheOutboxMatchesItsContract() {
        TestStack.directory();
        UUID policy = UUID.randomUUID();
        TestStack.cacheTargets(policy, 1, 2, 0, 15, SATO, SUZUKI);
        String key = TestStack.service("Contracts", policy)[1];
        String dedup = "contract-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Contract check", "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("commander") != null);
        String url = "/api/incidents/" + id;
        as(KeycloakTokens.SATO).post(url + "/acknowledge").then().statusCode(200);
        as(KeycloakTokens.SATO).body("{\"message\":\"Rolling back\"}").post(url + "/status-updates").then().statusCode(200);
        as(KeycloakTokens.SATO).body("{\"note\":\"shifted\"}").post(url + "/mitigate").then().statusCode(200);
        as(KeycloakTokens.SATO).body("{}").post(url + "/resolve").then().statusCode(200);
        TestStack.awaitEvent("toban.incident.resolved", id);

        ContractCheck.Outbox outbox = ContractCheck.outbox();
        assertEquals(List.of(), outbox.problems());
        assertTrue(outbox.types().containsAll(List.of("toban.incident.triggered", "toban.incident.acknowledged",
                "toban.incident.status_updated", "toban.incident.mitigated", "toban.incident.resolved")),
                outbox.types()::toString);
    }
}
