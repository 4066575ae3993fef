package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * While the database refuses this service (its connections cut and new ones refused: the database's
 * connection limit is set to 0 by its owner), ingestion answers 503 with Retry-After, never 500, and
 * recovers by itself afterwards. The shared PostgreSQL server itself is never stopped.
 */
@QuarkusTest
class DatabaseOutageTest {

    @Test
    void ingestionAnswers503WithRetryAfterWhileTheDatabaseIsUnreachable() throws Exception {
        String key = TestStack.service("Outage", UUID.randomUUID())[1];
        enqueue(trigger(key, "warm-" + UUID.randomUUID(), "warm the key cache", "info")).then().statusCode(202);
        String dedup = "outage-" + UUID.randomUUID();
        try (Connection admin = TestStack.connect(); Statement sql = admin.createStatement()) {
            try {
                sql.execute("alter database toban_incident_test connection limit 0");
                sql.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where datname = current_database() and pid <> pg_backend_pid()");
                enqueue(trigger(key, dedup, "During the outage", "critical")).then()
                        .statusCode(503)
                        .header("Retry-After", notNullValue())
                        .contentType("application/problem+json");
                enqueue(trigger("0123456789abcdef0123456789abcdef", dedup, "unknown key", "critical")).then()
                        .statusCode(503);
                as(KeycloakTokens.YAMADA).get("/api/incidents").then().statusCode(503)
                        .header("Retry-After", notNullValue());
            } finally {
                sql.execute("alter database toban_incident_test connection limit -1");
            }
        }
        // the sender retries, as PagerDuty senders do on 5xx, and gets through
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                enqueue(trigger(key, dedup, "After the outage", "critical")).statusCode() == 202);
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + TestStack.incidentFor(dedup)).then().statusCode(200)
                .body("state", equalTo("triggered"));
    }
}
