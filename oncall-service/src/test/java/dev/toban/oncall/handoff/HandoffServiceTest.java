package dev.toban.oncall.handoff;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.person;
import static dev.toban.oncall.testing.Fixtures.team;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.oncall.OnCallContracts.MaintenanceNote;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.oncall.testing.TestClock;
import dev.toban.plumbing.testing.BrokerProbe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Handoff events: exactly once per shift and person, with two "replicas" ticking at the same time,
 * again after a restart (all state is in the database) and for an override created at short notice.
 * Time is moved with the service's clock, far in the future so real time never interferes.
 */
@QuarkusTest
class HandoffServiceTest {

    static BrokerProbe broker;
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    HandoffService handoffs;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    final List<String> schedules = new ArrayList<>();

    @BeforeAll
    static void watch() {
        broker = new BrokerProbe("toban_test_oncall").watch("toban.oncall", "toban.oncall.shift.*");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @AfterEach
    void cleanUp() {
        for (String id : schedules) {
            given().auth().oauth2(admin()).delete("/api/schedules/" + id).then().statusCode(204);
        }
        clock.reset();
    }

    /** Outbox rows of a shift event type for one schedule: the exact number published. */
    @SuppressWarnings("unchecked")
    List<JsonNode> published(String type, String scheduleId) {
        List<String> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select envelope from outbox_event where type = ?1 and subject like ?2 order by seq")
                .setParameter(1, type).setParameter(2, scheduleId + ":%").getResultList());
        return rows.stream().map(r -> {
            try {
                return JSON.readTree(r).path("data");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    String dailySchedule(String startDate, String... people) {
        String id = Fixtures.schedule(team(List.of(people)), "server", "Asia/Tokyo",
                layer("Daily", 1, List.of(people), 1, 1, "DAYS", "10:00", startDate, null));
        schedules.add(id);
        return id;
    }

    void tickAsTwoReplicas(Instant at, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int replica = 0; replica < 2; replica++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return handoffs.tick(at);
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachShiftStartsAndEndsExactlyOnceWithTwoReplicasTicking() throws Exception {
        String a = person("Aoi Handoff");
        String b = person("Botan Handoff");
        String c = person("Chika Handoff");
        String id = dailySchedule("2030-01-07", a, b, c);

        // 10:00:30 JST on the first day: a's shift has just started
        Instant t1 = Instant.parse("2030-01-07T01:00:30Z");
        clock.set(t1);
        tickAsTwoReplicas(t1, 3);

        List<JsonNode> started = published(HandoffService.SHIFT_STARTED, id);
        assertEquals(1, started.size(), "one started event for a");
        JsonNode first = started.get(0);
        assertEquals(a, first.path("person").path("id").asText());
        assertEquals("2030-01-07T01:00:00Z", first.path("start").asText());
        assertEquals("2030-01-08T01:00:00Z", first.path("end").asText());
        assertEquals("server", first.path("schedule").path("role").asText());
        assertEquals("Asia/Tokyo", first.path("schedule").path("timeZone").asText());
        assertEquals("#team-test", first.path("team").path("slackChannel").asText());
        assertEquals(id + ":" + a + ":2030-01-07T01:00:00Z", first.path("shiftId").asText());
        List<JsonNode> upcoming = published(HandoffService.SHIFT_UPCOMING, id);
        assertEquals(1, upcoming.size(), "b starts within 24 hours; c does not");
        assertEquals(b, upcoming.get(0).path("person").path("id").asText());
        assertEquals("2030-01-08T01:00:00Z", upcoming.get(0).path("start").asText());

        // the next day, after the handoff: a ends, b starts; still once each
        Instant t2 = Instant.parse("2030-01-08T01:00:20Z");
        clock.set(t2);
        tickAsTwoReplicas(t2, 3);
        List<JsonNode> ended = published(HandoffService.SHIFT_ENDED, id);
        assertEquals(1, ended.size());
        assertEquals(a, ended.get(0).path("person").path("id").asText());
        assertEquals("2030-01-08T01:00:00Z", ended.get(0).path("end").asText(), "the real end, not the tick time");
        assertEquals(first.path("shiftId").asText(), ended.get(0).path("shiftId").asText());
        started = published(HandoffService.SHIFT_STARTED, id);
        assertEquals(2, started.size());
        assertEquals(b, started.get(1).path("person").path("id").asText());
        assertEquals(2, published(HandoffService.SHIFT_UPCOMING, id).size(), "c's upcoming notice");

        // a replica whose clock lags a minute (or that read it before waiting for the lock) changes nothing
        handoffs.tick(t2.minusSeconds(60));
        assertEquals(2, published(HandoffService.SHIFT_STARTED, id).size());
        assertEquals(1, published(HandoffService.SHIFT_ENDED, id).size());

        // a restart changes nothing: every decision is in the database
        handoffs.tick(t2);
        assertEquals(2, published(HandoffService.SHIFT_STARTED, id).size());
        assertEquals(1, published(HandoffService.SHIFT_ENDED, id).size());

        // and the events leave through the broker
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received(HandoffService.SHIFT_STARTED).stream()
                .filter(e -> e.path("subject").asText().startsWith(id)).count() == 2);
    }

    @Test
    void theNoticeCarriesTheMaintenanceWindowsDuringTheShiftAndNoneWhenIncidentServiceCouldNotSay() {
        String a = person("Gin Maintenance");
        String b = person("Hana Maintenance");
        String id = dailySchedule("2030-03-04", a, b);
        Instant t = Instant.parse("2030-03-04T01:00:10Z");
        clock.set(t);
        List<MaintenanceNote> windows = List.of(
                new MaintenanceNote("CDN switch", "Mobile App", null, t.plus(Duration.ofHours(1)), true),
                new MaintenanceNote("DB upgrade", "News API", t.plus(Duration.ofHours(5)),
                        t.plus(Duration.ofHours(7)), false),
                // after a's shift (one day): not in a's notice
                new MaintenanceNote("Later", "News API", t.plus(Duration.ofDays(3)),
                        t.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)), false));
        handoffs.tick(t, windows);
        JsonNode started = published(HandoffService.SHIFT_STARTED, id).get(0);
        assertEquals(List.of("CDN switch", "DB upgrade"), started.path("maintenance").findValuesAsText("reason"));
        assertEquals("Mobile App", started.path("maintenance").get(0).path("services").asText());
        assertTrue(started.path("maintenance").get(0).path("start").isNull(), "running now");

        // incident-service did not answer: the notice says nothing of windows rather than "none"
        clock.set(t.plus(Duration.ofDays(1)));
        handoffs.tick(t.plus(Duration.ofDays(1)), null);
        assertTrue(published(HandoffService.SHIFT_STARTED, id).get(1).path("maintenance").isNull());
    }

    @Test
    void aPassWithoutTheWindowsChangesNothingWhenANoticeIsDue() {
        String a = person("Ito Windows");
        String b = person("Jun Windows");
        String id = dailySchedule("2030-05-06", a, b);
        Instant t = Instant.parse("2030-05-06T01:00:10Z");
        clock.set(t);
        // a's shift starts: its notice mentions the maintenance windows, which this pass was not given
        assertTrue(handoffs.tickUnlessAnnouncing(t).isEmpty());
        assertEquals(List.of(), published(HandoffService.SHIFT_STARTED, id));
        // nothing of it was kept: the pass with the windows opens the shift and announces it
        assertEquals(1, handoffs.tick(t, List.of()).started());
        assertEquals(1, published(HandoffService.SHIFT_STARTED, id).size());
        // a minute later nothing is due: the pass needs no windows and publishes nothing
        assertTrue(handoffs.tickUnlessAnnouncing(t.plusSeconds(60)).isPresent());
        assertEquals(1, published(HandoffService.SHIFT_STARTED, id).size());
    }

    @Test
    void anOverrideAtShortNoticeIsAnnouncedAtOnceWithoutAnExplicitTick() {
        String a = person("Daichi Notice");
        String b = person("Emi Notice");
        String c = person("Fuka Notice");
        String id = dailySchedule("2030-02-04", a, b);
        Instant t = Instant.parse("2030-02-04T03:00:00Z");
        clock.set(t);
        handoffs.tick(t);
        assertEquals(1, published(HandoffService.SHIFT_STARTED, id).size());

        // c takes over from a for two hours, starting now: the commit wakes the ticker
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"personId\":\"%s\",\"replacesPersonId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}"
                        .formatted(c, a, t, t.plus(Duration.ofHours(2))))
                .post("/api/schedules/" + id + "/overrides").then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> published(HandoffService.SHIFT_STARTED, id).size() == 2);
        JsonNode cStarted = published(HandoffService.SHIFT_STARTED, id).get(1);
        assertEquals(c, cStarted.path("person").path("id").asText());
        assertEquals(t.toString(), cStarted.path("start").asText());
        assertEquals(t.plus(Duration.ofHours(2)).toString(), cStarted.path("end").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> published(HandoffService.SHIFT_ENDED, id).size() == 1);
        assertEquals(a, published(HandoffService.SHIFT_ENDED, id).get(0).path("person").path("id").asText());
    }

    @Test
    void shiftsThatStartedLongAgoAreRecordedSilentlyButStillEnd() {
        String a = person("Gin Lookback");
        String b = person("Hiro Lookback");
        String id = dailySchedule("2031-01-06", a, b);
        // four hours into a's first shift: longer ago than the two-hour lookback
        Instant t = Instant.parse("2031-01-06T05:00:00Z");
        clock.set(t);
        handoffs.tick(t);
        assertEquals(0, published(HandoffService.SHIFT_STARTED, id).size());
        Instant next = Instant.parse("2031-01-07T01:05:00Z");
        clock.set(next);
        handoffs.tick(next);
        assertEquals(1, published(HandoffService.SHIFT_ENDED, id).size(), "a's end is still announced");
        List<JsonNode> started = published(HandoffService.SHIFT_STARTED, id);
        assertEquals(1, started.size());
        assertEquals(b, started.get(0).path("person").path("id").asText());
    }

    @Test
    void deletingAScheduleEndsItsOpenShifts() {
        String a = person("Isamu Delete");
        String id = dailySchedule("2032-01-05", a);
        schedules.remove(id);
        Instant t = Instant.parse("2032-01-05T01:00:05Z");
        clock.set(t);
        handoffs.tick(t);
        assertEquals(1, published(HandoffService.SHIFT_STARTED, id).size());
        assertNull(published(HandoffService.SHIFT_STARTED, id).get(0).path("end").textValue(),
                "a one-person rotation has no end in sight");
        given().auth().oauth2(admin()).delete("/api/schedules/" + id).then().statusCode(204);
        List<JsonNode> ended = published(HandoffService.SHIFT_ENDED, id);
        assertEquals(1, ended.size());
        assertEquals(t.toString(), ended.get(0).path("end").asText());
    }
}
