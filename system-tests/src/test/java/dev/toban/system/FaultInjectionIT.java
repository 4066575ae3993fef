package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nothing is lost, whatever fails: storms of Events API triggers while RabbitMQ, a service,
 * PostgreSQL, Slack or Keycloak fails, against the real stack. Every trigger must end in 202 (the
 * sender retries like a monitoring tool), every incident must reach Slack exactly once.
 *
 * <p>CI runs short faults; the long ones of docs/reliability.md are the same test with
 * {@code -Dtoban.faults.outage=PT60S -Dtoban.faults.rate=100 -Dtoban.faults.slack-outage=PT120S}.
 */
@Tag("fault") // a tier: bin/toban test --quick leaves it out
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    static final int RATE = Integer.getInteger("toban.faults.rate", 20);
    static final int KEYS = Integer.getInteger("toban.faults.keys", 50);
    static final Duration OUTAGE = Duration.parse(System.getProperty("toban.faults.outage", "PT10S"));
    static final Duration SLACK_OUTAGE = Duration.parse(System.getProperty("toban.faults.slack-outage", "PT20S"));
    static final Duration POST_INTERVAL = Duration.ofMillis(250);
    static final String CHANNEL = "#svc-news-api";
    static final Duration DRAIN = Duration.ofMinutes(4);
    static TobanSystem toban;

    @BeforeAll
    static void start() {
        toban = TobanSystem.start(Map.of(
                // the storms send far more than PagerDuty's 120 events a minute per key
                "TOBAN_INCIDENT_INGEST_RATE_LIMIT_EVENTS_PER_MINUTE", "600000",
                "TOBAN_INCIDENT_INGEST_RATE_LIMIT_BURST", "10000",
                // paced at 4 posts a second per channel, to keep the suite short
                "TOBAN_SLACK_POST_INTERVAL", POST_INTERVAL.toMillis() + "ms"));
    }

    @AfterAll
    static void stop() {
        if (toban != null) {
            toban.close();
        }
    }

    static String run(String scenario) {
        return scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Storm storm(String run, int keys, Duration length) {
        return Storm.start(toban.incident.url(), TobanSystem.demoIntegrationKey(), run, RATE, keys, length);
    }

    /** Slack parent messages per incident of this run. */
    static Map<String, Long> parentsPerIncident(Set<String> incidents) {
        return toban.slack.parents(CHANNEL).stream()
                .filter(m -> m.incidentId() != null && incidents.contains(m.incidentId()))
                .collect(Collectors.groupingBy(FakeSlack.Posted::incidentId, Collectors.counting()));
    }

    static Set<String> incidentsOf(String run) {
        return Set.copyOf(Database.strings("incident", "select id::text from incident where dedup_key like ?", run + "-%"));
    }

    /** Waits until every dedup key of the run has its incident and every incident its Slack parent. */
    static Reliability.Row verify(String scenario, String load, String failed, String run, int keys,
                                  Storm.Result storm, Instant faultEnd) {
        assertEquals(0, storm.gaveUp(), "triggers abandoned by the sender: " + storm.statuses());
        assertEquals(storm.sent(), storm.accepted(), "every trigger was accepted in the end");
        // a drain that never completes is reported as lost below, rather than only failing the wait
        awaitQuietly(() -> incidentsOf(run).size() == keys);
        Set<String> incidents = incidentsOf(run);
        awaitQuietly(() -> parentsPerIncident(incidents).size() == keys);
        Map<String, Long> posted = parentsPerIncident(incidents);
        long duplicated = posted.values().stream().mapToLong(n -> n - 1).sum();
        long lastArrival = toban.slack.parents(CHANNEL).stream()
                .filter(m -> m.incidentId() != null && incidents.contains(m.incidentId()))
                .mapToLong(m -> m.receivedAtMillis).max().orElse(faultEnd.toEpochMilli());
        String recovery = faultEnd == null ? "n/a"
                : String.format("%.1f s", Math.max(0, lastArrival - faultEnd.toEpochMilli()) / 1000.0);
        Reliability.Row row = new Reliability.Row(scenario, load, failed, storm.sent(), posted.size(),
                keys - posted.size(), duplicated, recovery);
        Reliability.report(row);
        assertEquals(keys, incidents.size(), "dedup keys that became incidents");
        assertEquals(0, duplicated, "Slack parents posted twice: " + posted);
        assertEquals(keys, posted.size(), "incidents that reached Slack");
        assertTrue(toban.slack.violations().isEmpty(), "malformed Slack calls: " + toban.slack.violations());
        return row;
    }

    static void awaitQuietly(java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(DRAIN).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // verify() reports what did arrive and then fails
        }
    }

    @Test
    @Order(1)
    void brokerDown() {
        String run = run("broker");
        Storm storm = storm(run, KEYS, OUTAGE.plusSeconds(8));
        await().atMost(Duration.ofSeconds(10)).until(() -> storm.sentSoFar() >= RATE * 3);
        LocalServices.stopRabbitMq();
        try {
            // ingestion keeps answering 202 while the broker is away: events wait in the outbox
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(5))
                    .until(() -> storm.statusesSoFar().keySet().stream().allMatch(s -> s == 202));
        } finally {
            LocalServices.startRabbitMq();
        }
        Instant faultEnd = Instant.now();
        Storm.Result result = storm.finish();
        assertEquals(Set.of(202), result.statuses().keySet(), "only 202 during the broker outage");
        verify("RabbitMQ down", RATE + " triggers/s over " + KEYS + " dedup keys",
                "RabbitMQ stopped for " + OUTAGE.toSeconds() + " s", run, KEYS, result, faultEnd);
    }

    @Test
    @Order(2)
    void servicesKilled() {
        String run = run("kill");
        Storm storm = storm(run, KEYS, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> storm.sentSoFar() >= RATE * 3);
        toban.notify.kill();
        toban.notify.restart();
        toban.incident.kill();
        toban.incident.restart();
        Instant faultEnd = Instant.now();
        Storm.Result result = storm.finish();
        verify("A service killed", RATE + " triggers/s over " + KEYS + " dedup keys",
                "kill -9 of notify-service, then of incident-service, each restarted", run, KEYS, result, faultEnd);
    }

    @Test
    @Order(3)
    void databaseRestart() {
        String run = run("postgres");
        Storm storm = storm(run, KEYS, OUTAGE.plusSeconds(8));
        await().atMost(Duration.ofSeconds(10)).until(() -> storm.sentSoFar() >= RATE * 3);
        LocalServices.stopPostgres();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !toban.incident.ready());
            // while PostgreSQL is down: 503 with Retry-After, never a 500
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(5))
                    .until(() -> storm.statusesSoFar().keySet().stream().noneMatch(s -> s >= 500 && s != 503));
        } finally {
            LocalServices.startPostgres();
        }
        Instant faultEnd = Instant.now();
        await().atMost(Duration.ofSeconds(60)).until(toban.incident::ready);
        Storm.Result result = storm.finish();
        assertTrue(result.statuses().keySet().stream().noneMatch(s -> s >= 500 && s != 503),
                "no 5xx but 503: " + result.statuses());
        assertTrue(storm.unavailableWithRetryAfter() > 0, "503 answers carry Retry-After: " + result.statuses());
        verify("PostgreSQL restart", RATE + " triggers/s over " + KEYS + " dedup keys",
                "PostgreSQL stopped for " + OUTAGE.toSeconds() + " s; ingestion answered 503 with Retry-After "
                        + storm.unavailableWithRetryAfter() + " times, readiness went down and up",
                run, KEYS, result, faultEnd);
    }

    @Test
    @Order(4)
    void slackFailing() {
        String run = run("slack");
        int keys = Math.min(KEYS, 12);
        toban.slack.outage(CHANNEL, FakeSlack.Scripted.serverError(503));
        Storm storm = storm(run, keys, Duration.ofSeconds(3));
        Storm.Result result = storm.finish();
        await().atMost(Duration.ofSeconds(30)).until(() -> incidentsOf(run).size() == keys);
        Set<String> incidents = incidentsOf(run);
        // Slack answers 5xx the whole time: nothing gets through, nothing is given up
        await().during(SLACK_OUTAGE).atMost(SLACK_OUTAGE.plusSeconds(5))
                .until(() -> parentsPerIncident(incidents).isEmpty());
        toban.slack.recover(CHANNEL);
        toban.slack.script(CHANNEL, FakeSlack.Scripted.rateLimited(2), FakeSlack.Scripted.rateLimited(2));
        Instant faultEnd = Instant.now();
        verify("Slack failing", keys + " incidents", "Slack answered 503 for " + SLACK_OUTAGE.toSeconds()
                + " s, then 429 with Retry-After: 2 twice", run, keys, result, faultEnd);

        // Retry-After honoured: after each 429 the next call to the channel waited at least 2 s
        List<FakeSlack.Call> calls = toban.slack.calls("chat.postMessage", CHANNEL);
        for (int i = 0; i < calls.size() - 1; i++) {
            if (calls.get(i).status() == 429) {
                long gap = calls.get(i + 1).receivedAtMillis() - calls.get(i).receivedAtMillis();
                assertTrue(gap >= 1900, "the call after a 429 came " + gap + " ms later");
            }
        }
        // and paced: successful posts to the channel at most one per post interval
        List<Long> posts = toban.slack.parents(CHANNEL).stream()
                .filter(m -> m.incidentId() != null && incidents.contains(m.incidentId()))
                .map(m -> m.receivedAtMillis).sorted().toList();
        for (int i = 1; i < posts.size(); i++) {
            assertTrue(posts.get(i) - posts.get(i - 1) >= POST_INTERVAL.toMillis() - 50,
                    "posts " + (posts.get(i) - posts.get(i - 1)) + " ms apart");
        }
    }

    @Test
    @Order(5)
    void keycloakDown() throws Exception {
        Path pidFile = ServiceProcess.repositoryRoot().resolve(".toban/run/keycloak.pid");
        assumeTrue(Files.exists(pidFile), "Keycloak was not started by bin/toban, so this test cannot freeze it");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        String token = KeycloakTokens.of(KeycloakTokens.ADMIN);
        Map<ServiceProcess, String> reads = Map.of(toban.oncall, "/api/teams", toban.incident, "/api/incidents",
                toban.notify, "/api/deliveries", toban.postmortem, "/api/postmortems");
        reads.forEach((service, path) -> given().baseUri(service.url()).auth().oauth2(token).get(path)
                .then().statusCode(200));

        ServiceProcess late = toban.incident.replica("incident-service-late");
        Map<Integer, Integer> answers = new HashMap<>();
        LocalServices.freeze(pid);
        Instant faultStart = Instant.now();
        try {
            // tokens issued before keep working: the services already hold Keycloak's keys
            reads.forEach((service, path) -> answers.merge(given().baseUri(service.url()).auth().oauth2(token)
                    .get(path).then().extract().statusCode(), 1, Integer::sum));
            // a replica that never reached Keycloak says so plainly instead of failing obscurely
            late.launch();
            late.awaitReady();
            given().baseUri(late.url()).auth().oauth2(token).get("/api/incidents")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("title", org.hamcrest.Matchers.equalTo("Sign-in service unavailable"));
        } finally {
            LocalServices.resume(pid);
            late.stop();
        }
        Instant faultEnd = Instant.now();
        Reliability.report(new Reliability.Row("Keycloak down", reads.size() + " API reads with a token issued before",
                "Keycloak frozen (SIGSTOP) for " + Duration.between(faultStart, faultEnd).toSeconds()
                        + " s; a replica started meanwhile answered 503 'Sign-in service unavailable'",
                reads.size(), answers.getOrDefault(200, 0), reads.size() - answers.getOrDefault(200, 0), 0,
                "immediate"));
        assertEquals(Map.of(200, reads.size()), answers, "already-issued tokens keep working");
    }

}
