package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of incident-service on one database and broker, as a Deployment with two pods runs
 * them: each escalation step and each status-update reminder happens once, also when a replica is
 * killed with SIGKILL mid-way and starts again.
 */
class IncidentReplicasIT {

    static final String PROBE = "it.incident-replicas.probe";
    /** Short cadence so that several reminder windows pass while the escalation runs. */
    static final Duration CADENCE = Duration.ofSeconds(10);
    static ServiceProcess oncall;
    static ServiceProcess incident;
    static ServiceProcess incident2;

    @BeforeAll
    static void start() {
        Map<String, String> demo = Map.of("TOBAN_DEMO_ENABLED", "true");
        // notify-service does not run here: oncall-service's first publish waits for incident-service's queue only
        // no periodic directory sync: its person events, handed round-robin to the replicas, would make both forget
        // what they remember and hide a replica that does not hear an on-call change (anOverrideReachesEveryReplica...)
        oncall = ServiceProcess.start("oncall-service", "oncall-service", true, Map.of("TOBAN_DEMO_ENABLED", "true",
                "TOBAN_EVENTS_OUTBOX_AWAIT_QUEUES", "incident-service.oncall-events",
                "TOBAN_ONCALL_DIRECTORY_SYNC_EVERY", "off"));
        incident = ServiceProcess.prepare("incident-service", "incident-service-1", true, demo)
                .with("ONCALL_URL", oncall.url())
                .with("TOBAN_INCIDENT_CADENCE_SEV1", CADENCE.toSeconds() + "s")
                .with("TOBAN_INCIDENT_CADENCE_SEV2", CADENCE.toSeconds() + "s")
                .with("TOBAN_INCIDENT_CADENCE_SEV3", CADENCE.toSeconds() + "s")
                .with("TOBAN_INCIDENT_CADENCE_CHECK_EVERY", "1s")
                // whom-to-page answers are remembered far longer than the waits below: only the change event can
                // make a replica forget them in time
                .with("TOBAN_INCIDENT_ONCALL_TARGETS_CACHE_MAX", "10m");
        incident.launch();
        incident.awaitReady();
        incident2 = incident.replica("incident-service-2");
        incident2.launch();
        incident2.awaitReady();
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess service : new ServiceProcess[] {incident2, incident, oncall}) {
            if (service != null) {
                service.stop();
            }
        }
    }

    @Test
    void escalationStepsAndRemindersHappenOnce() {
        try (BrokerProbe probe = new BrokerProbe("toban_it")) {
            probe.durableQueue(PROBE, "toban.incident", "toban.incident.#");

            // a policy of two one-minute levels that does not repeat, and a service that uses it
            String policy = Api.as(KeycloakTokens.ADMIN, oncall)
                    .body(Map.of("name", "Replicas " + UUID.randomUUID(), "repeatCount", 0, "levels", List.of(
                            Map.of("delayMinutes", 1, "targets", List.of(Map.of("type", "person", "id", Demo.ADMIN))),
                            Map.of("delayMinutes", 1, "targets", List.of(Map.of("type", "person", "id", Demo.SATO))))))
                    .post("/api/escalation-policies").then().statusCode(201).extract().path("id");
            String key = integrationKey(policy);

            // the alert lands on the second replica; nobody acknowledges
            String id = trigger(incident2, key);

            // after the first reminder a replica dies and comes back; the timers are rows, not memory
            await().atMost(CADENCE.multipliedBy(3)).until(() -> kinds(id).contains("update_overdue"));
            incident2.kill();
            incident2.launch();
            incident2.awaitReady();

            // level 1 waits a minute, then level 2 is paged and, being the last, ends the escalation
            await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> kinds(id).contains("escalation_exhausted"));
            // one more reminder window with both replicas up
            Instant exhausted = Instant.now();
            long remindedSoFar = kinds(id).stream().filter("update_overdue"::equals).count();
            await().atMost(CADENCE.multipliedBy(3)).until(() -> kinds(id).stream()
                    .filter("update_overdue"::equals).count() > remindedSoFar);

            await().atMost(Duration.ofSeconds(30)).until(() -> Database.count("incident",
                    "select count(*) from outbox_event where published_at is null") == 0);
            List<JsonNode> events = probe.drain(PROBE).stream()
                    .filter(e -> id.equals(e.path("data").path("incident").path("id").asText())).toList();
            List<String> timeline = kinds(id);

            // escalation: level 2 once, exhaustion once, in events and in the timeline alike
            List<String> steps = events.stream().filter(e -> "toban.incident.escalated".equals(e.path("type").asText()))
                    .map(e -> e.path("data").path("level").asInt() + "/" + e.path("data").path("repeat").asInt()).toList();
            assertEquals(List.of("2/0"), steps, "each escalation step published once");
            assertEquals(1, timeline.stream().filter("escalated"::equals).count(), timeline.toString());
            assertEquals(1, timeline.stream().filter("escalation_exhausted"::equals).count(), timeline.toString());

            // reminders: one per cadence window, never two in the same window
            List<Instant> reminders = events.stream()
                    .filter(e -> "toban.incident.update_overdue".equals(e.path("type").asText()))
                    .map(e -> Instant.parse(e.path("time").asText())).sorted(Comparator.naturalOrder()).toList();
            assertEquals(timeline.stream().filter("update_overdue"::equals).count(), reminders.size(),
                    "each reminder is one event and one timeline entry");
            assertTrue(reminders.size() >= 6, "reminders kept coming across the restart: " + reminders);
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < reminders.size(); i++) {
                gaps.add(Duration.between(reminders.get(i - 1), reminders.get(i)).toMillis());
            }
            assertTrue(gaps.stream().allMatch(gap -> gap >= CADENCE.toMillis() / 2),
                    "two reminders in one window: gaps " + gaps + " ms");
            assertTrue(reminders.get(reminders.size() - 1).isAfter(exhausted.minus(CADENCE)), "still reminding at the end");
            probe.deleteQueue(PROBE);
        }
    }

    @Test
    void anOverrideReachesEveryReplicaAtOnce() {
        String key = integrationKey(Demo.POLICY_SERVER);
        // the admin's first request to oncall-service publishes a person event; let it pass before the answers are
        // remembered, so that the override below is the only on-call change (the shared queue would hand two events
        // to the two replicas, one each, and hide a replica that does not hear the change)
        Api.as(KeycloakTokens.ADMIN, oncall).get("/api/schedules/" + Demo.SCHEDULE_SERVER).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> Database.count("oncall",
                "select count(*) from outbox_event where published_at is null") == 0);
        // each replica looks up (and remembers) whom level 1 of the server policy pages
        String before = commander(trigger(incident, key));
        assertEquals(before, commander(trigger(incident2, key)), "both replicas name the same IC");
        String other = List.of(Demo.SATO, Demo.SUZUKI, Demo.TANAKA).stream().filter(p -> !p.equals(before))
                .findFirst().orElseThrow();

        // someone else takes the server rotation from now
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Api.as(KeycloakTokens.ADMIN, oncall)
                .body(Map.of("personId", other, "start", now.toString(), "end", now.plus(Duration.ofHours(2)).toString()))
                .post("/api/schedules/" + Demo.SCHEDULE_SERVER + "/overrides").then().statusCode(201);

        // every replica's next incident has the new IC within seconds, not when its remembered answer runs out
        for (ServiceProcess replica : List.of(incident, incident2)) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> commander(trigger(replica, key)), other::equals);
        }
    }

    /** A new service on {@code policy}, and its Events API key. */
    static String integrationKey(String policy) {
        // the team arrives in incident-service's directory through oncall-service's events
        String service = await().atMost(Duration.ofSeconds(60)).until(() -> {
            var response = Api.as(KeycloakTokens.ADMIN, incident)
                    .body(Map.of("name", "Replicas IT " + UUID.randomUUID(), "owningTeamId", Demo.TEAM_SERVER,
                            "escalationPolicyId", policy))
                    .post("/api/services");
            return response.statusCode() == 201 ? response.then().extract().<String>path("id") : null;
        }, id -> id != null);
        return Api.as(KeycloakTokens.ADMIN, incident)
                .body(Map.of("name", "replicas", "type", "events_v2"))
                .post("/api/services/" + service + "/integration-keys").then().statusCode(201).extract().path("key");
    }

    /** Opens an incident through {@code replica}'s Events API; returns its id. */
    static String trigger(ServiceProcess replica, String key) {
        String summary = "Replicas IT " + UUID.randomUUID();
        given().baseUri(replica.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", key, "event_action", "trigger", "dedup_key", summary,
                        "payload", Map.of("summary", summary, "source", "it", "severity", "critical")))
                .post("/v2/enqueue").then().statusCode(202);
        return await().atMost(Duration.ofSeconds(30)).until(() -> Api.as(KeycloakTokens.YAMADA, incident)
                .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                .<String>getString("find { it.title == '" + summary + "' }.id"), found -> found != null);
    }

    /** The id of the incident's IC, once it has one. */
    static String commander(String incidentId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> Api.as(KeycloakTokens.YAMADA, incident)
                .get("/api/incidents/" + incidentId).then().statusCode(200).extract().jsonPath()
                .<String>getString("commander.id"), id -> id != null);
    }

    /** The kinds of the incident's timeline entries, oldest first. */
    static List<String> kinds(String incidentId) {
        return Api.as(KeycloakTokens.YAMADA, incident).get("/api/incidents/" + incidentId + "/timeline")
                .then().statusCode(200).extract().jsonPath().<String>getList("kind").stream()
                .collect(Collectors.toList());
    }
}
