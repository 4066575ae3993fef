package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat monitor across a restart of incident-service (issue 19): the job beats, incident-service goes down,
 * and while it is down the beats stop for longer than the interval and grace (moved along in its database instead
 * of waited for). Back up, it finds the miss by itself and opens an incident through the normal opener (an IC,
 * pages); the next beat resolves it.
 */
class HeartbeatRestartIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static TobanSystem toban;

    @BeforeAll
    static void start() {
        toban = TobanSystem.start();
    }

    @AfterAll
    static void stop() {
        if (toban != null) {
            toban.close();
        }
    }

    static String incidentTitled(String prefix) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents").then().statusCode(200).extract()
                .jsonPath().getString("find { it.title.startsWith('" + prefix + "') }.id");
    }

    @Test
    void aBeatMissedWhileIncidentServiceWasDownOpensAnIncidentAfterItsRestartAndTheNextBeatResolvesIt() {
        String name = "backup-job-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath monitor = Api.as(KeycloakTokens.ADMIN, toban.incident)
                .body(Map.of("name", name, "intervalMinutes", 15, "graceMinutes", 5))
                .post("/api/services/" + Demo.SERVICE_NEWS_API + "/heartbeats").then().statusCode(201).extract().jsonPath();
        String token = monitor.getString("token");
        String id = monitor.getString("id");
        given().baseUri(toban.incident.url()).post("/heartbeat/" + token).then().statusCode(202);

        // down; meanwhile twenty minutes pass without a beat
        toban.incident.stop();
        assertEquals(1, Database.update("incident",
                "update heartbeat_monitor set last_beat_at = now() - interval '21 minutes',"
                        + " due_at = now() - interval '1 minute' where id = ?::uuid", id));
        toban.incident.restart();

        String title = "No heartbeat from " + name;
        String incident = await().atMost(WAIT).until(() -> incidentTitled(title), found -> found != null);
        await().atMost(WAIT).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + incident)
                .then().statusCode(200).extract().jsonPath().getString("commander.username") != null);

        // the job beats again: the miss is over
        given().baseUri(toban.incident.url()).post("/heartbeat/" + token).then().statusCode(202);
        await().atMost(WAIT).until(() -> "resolved".equals(Api.as(KeycloakTokens.YAMADA, toban.incident)
                .get("/api/incidents/" + incident).then().statusCode(200).extract().jsonPath().getString("state")));
    }
}
