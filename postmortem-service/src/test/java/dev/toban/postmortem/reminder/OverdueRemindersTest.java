package dev.toban.postmortem.reminder;

import static dev.toban.postmortem.testing.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reminders are sent once, even when two replicas run the job at the same moment: here two
 * threads run it concurrently against the real database, as two replicas would.
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class OverdueRemindersTest {

    static BrokerProbe broker;

    @Inject
    OverdueReminders reminders;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.#");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    /** Runs the job from two threads at once, like two replicas. */
    void runTwiceConcurrently(Instant now) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<OverdueReminders.Sent> job = () -> reminders.run(now);
            List<Future<OverdueReminders.Sent>> runs = pool.invokeAll(List.of(job, job));
            for (Future<OverdueReminders.Sent> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aMissedDecisionDeadlineIsRemindedOnce() throws Exception {
        TestIncident incident = new TestIncident().severity("SEV3").resolvedAt(Instant.now().minus(Duration.ofDays(12)));
        String id = Api.open(broker, incident);
        Instant due = Instant.parse(Api.get(id).getString("decisionDueAt"));
        assertTrue(due.isBefore(Instant.now()), "due " + due);

        runTwiceConcurrently(Instant.now());
        reminders.run(Instant.now());
        JsonNode reminder = Api.awaitEvent(broker, "toban.postmortem.decision_overdue", id);
        assertEquals(due.toString(), Instant.parse(reminder.at("/data/decisionDueAt").asText()).toString());
        assertEquals("sato", reminder.at("/data/postmortem/commander/username").asText(), "notify-service reminds the IC");
        // give a duplicate every chance to show up behind a later event
        String marker = Api.open(broker, new TestIncident());
        Api.awaitEvent(broker, "toban.postmortem.opened", marker);
        assertEquals(1, Api.events(broker, "toban.postmortem.decision_overdue", id).size());
    }

    @Test
    void noReminderOnceDecidedOrWhileTheIncidentIsOpenAgain() throws Exception {
        TestIncident decided = new TestIncident().severity("SEV3").resolvedAt(Instant.now().minus(Duration.ofDays(12)));
        String decidedId = Api.open(broker, decided);
        as(KeycloakTokens.SATO).body("{\"decision\":\"skip\",\"reason\":\"duplicate\"}")
                .post("/api/postmortems/" + decidedId + "/decision").then().statusCode(200);
        TestIncident reopened = new TestIncident().severity("SEV3").resolvedAt(Instant.now().minus(Duration.ofDays(12)));
        String reopenedId = Api.open(broker, reopened);
        broker.publish("toban.incident", "toban.incident.reopened", reopened.next("triggered").event("toban.incident.reopened"));
        Api.awaitEvent(broker, "toban.postmortem.reopened", reopenedId);

        reminders.run(Instant.now());
        String marker = Api.open(broker, new TestIncident());
        Api.awaitEvent(broker, "toban.postmortem.opened", marker);
        assertTrue(Api.events(broker, "toban.postmortem.decision_overdue", decidedId).isEmpty());
        assertTrue(Api.events(broker, "toban.postmortem.decision_overdue", reopenedId).isEmpty());
    }

    @Test
    void anOverdueActionItemIsRemindedOncePerDay() throws Exception {
        TestIncident incident = new TestIncident();
        String id = Api.open(broker, incident);
        LocalDate today = LocalDate.now(Api.TOKYO);
        String itemId = as(KeycloakTokens.SATO).body("{\"title\":\"Fix the retry storm\",\"ownerId\":\""
                        + incident.responders.get(0).id() + "\",\"dueDate\":\"" + today + "\"}")
                .post("/api/postmortems/" + id + "/action-items").then().statusCode(201).extract().path("id");

        reminders.run(Instant.now());
        Instant dayAfterDue = ZonedDateTime.of(today.plusDays(1), java.time.LocalTime.NOON, Api.TOKYO).toInstant();
        runTwiceConcurrently(dayAfterDue);
        runTwiceConcurrently(dayAfterDue.plus(Duration.ofHours(3)));
        await().atMost(Duration.ofSeconds(30)).until(() -> overdue(id, itemId).size() == 1);
        assertEquals(1, overdue(id, itemId).get(0).at("/data/daysOverdue").asInt());
        assertEquals("Fix the retry storm", overdue(id, itemId).get(0).at("/data/actionItem/title").asText());

        // the next day in Tokyo: one more
        runTwiceConcurrently(dayAfterDue.plus(Duration.ofDays(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> overdue(id, itemId).size() == 2);

        // done items are not reminded
        as(KeycloakTokens.SATO).body("{\"version\":0,\"status\":\"done\"}").patch("/api/action-items/" + itemId).then().statusCode(200);
        reminders.run(dayAfterDue.plus(Duration.ofDays(2)));
        String marker = Api.open(broker, new TestIncident());
        Api.awaitEvent(broker, "toban.postmortem.opened", marker);
        assertEquals(2, overdue(id, itemId).size());
    }

    static List<JsonNode> overdue(String postmortemId, String itemId) {
        return Api.events(broker, "toban.postmortem.action_item.overdue", postmortemId).stream()
                .filter(e -> itemId.equals(e.at("/data/actionItem/id").asText())).toList();
    }
}
