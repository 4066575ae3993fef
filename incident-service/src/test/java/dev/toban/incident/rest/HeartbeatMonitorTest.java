package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.ingestion.HeartbeatService;
import dev.toban.incident.ingestion.IntegrationKeys;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Heartbeat monitors (issue 19): a token shown once and kept hashed, beats recorded, a miss opening an incident
 * through the normal opener (IC, page) from the state in the database — as after a restart that lasted past the
 * deadline — and the next beat resolving it.
 */
@QuarkusTest
class HeartbeatMonitorTest {

    @Inject
    HeartbeatService heartbeats;

    static UUID incidentOf(String monitorId) {
        return TestStack.uuids("select incident_id from heartbeat_monitor where id = ? and incident_id is not null",
                UUID.fromString(monitorId)).stream().findFirst().orElse(null);
    }

    @Test
    void aMissedBeatOpensAnIncidentThatPagesAndTheNextBeatResolvesIt() {
        UUID policy = UUID.randomUUID();
        TestStack.cacheTargets(policy, 1, 1, 0, 15, TestStack.SATO, TestStack.SUZUKI);
        String service = TestStack.service("Heartbeat", policy)[0];
        var created = as(KeycloakTokens.ADMIN).body("{\"name\":\"backup-job\",\"intervalMinutes\":10,\"graceMinutes\":5}")
                .post("/api/services/" + service + "/heartbeats").then().statusCode(201)
                .body("url", org.hamcrest.Matchers.containsString("/heartbeat/")).extract();
        String token = created.path("token");
        String id = created.path("id");
        assertEquals(IntegrationKeys.LENGTH, token.length());
        assertEquals(1, count("select count(*) from heartbeat_monitor where token_hash = ?", IntegrationKeys.hash(token)));
        assertEquals(0, count("select count(*) from heartbeat_monitor where token_hash = ? or last4 <> ?", token,
                token.substring(28)), "only the hash and the last 4 are kept");
        as(KeycloakTokens.YAMADA).get("/api/services/" + service + "/heartbeats").then().statusCode(200)
                .body("[0].name", equalTo("backup-job")).body("[0].status", equalTo("waiting"))
                .body("[0].token", nullValue()).body("[0].last4", equalTo(token.substring(28)));

        given().post("/heartbeat/" + token).then().statusCode(202).body("status", equalTo("ok"));
        given().post("/heartbeat/" + IntegrationKeys.generate()).then().statusCode(404);
        given().post("/heartbeat/short").then().statusCode(404);
        as(KeycloakTokens.YAMADA).get("/api/services/" + service + "/heartbeats").then()
                .body("[0].status", equalTo("up")).body("[0].lastBeatAt", notNullValue());
        assertEquals(0, heartbeats.checkDue(), "a beat in time opens nothing");

        // incident-service was down (or the job silent) past interval + grace: only the database knows
        TestStack.update("""
                update heartbeat_monitor set last_beat_at = now() - interval '16 minutes',
                    due_at = now() - interval '1 minute' where id = ?""", UUID.fromString(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> incidentOf(id) != null);
        UUID incident = incidentOf(id);
        assertEquals("No heartbeat from backup-job for 16 min", TestStack.single("select title from incident where id = ?", incident));
        assertEquals("heartbeat", TestStack.single("select source from incident where id = ?", incident));
        assertEquals("SEV2", TestStack.single("select severity from incident where id = ?", incident));
        JsonNode triggered = TestStack.awaitEvent("toban.incident.triggered", incident);
        assertEquals(TestStack.SATO.toString(), triggered.at("/data/incident/commander/id").asText());
        assertTrue(triggered.at("/data/page/targets").size() > 0, "the on-call is paged");
        assertEquals(0, heartbeats.checkDue(), "one incident per miss");
        assertEquals(1, count("select count(*) from incident where service_id = ?", UUID.fromString(service)));
        as(KeycloakTokens.YAMADA).get("/api/services/" + service + "/heartbeats").then().body("[0].status", equalTo("late"))
                .body("[0].incidentId", equalTo(incident.toString()));

        given().post("/heartbeat/" + token).then().statusCode(202);
        assertEquals("resolved", TestStack.single("select state from incident where id = ?", incident));
        assertEquals(List.of(), TestStack.uuids("select incident_id from heartbeat_monitor where id = ? and incident_id is not null",
                UUID.fromString(id)));
        JsonNode resolved = TestStack.awaitEvent("toban.incident.resolved", incident);
        assertEquals("integration:heartbeat:backup-job", resolved.at("/data/actor/username").asText());

        // deleted: the token stops working
        as(KeycloakTokens.ADMIN).delete("/api/services/" + service + "/heartbeats/" + id).then().statusCode(204);
        given().post("/heartbeat/" + token).then().statusCode(404);
        as(KeycloakTokens.YAMADA).get("/api/services/" + service + "/heartbeats").then().body("id", org.hamcrest.Matchers.empty());
    }

    @Test
    void aMonitorThatNeverBeatIsLateAfterIntervalAndGraceFromItsCreation() {
        String service = TestStack.service("Heartbeat never", UUID.randomUUID())[0];
        String id = as(KeycloakTokens.ADMIN).body("{\"name\":\"nightly-export\",\"intervalMinutes\":60}")
                .post("/api/services/" + service + "/heartbeats").then().statusCode(201)
                .body("graceMinutes", equalTo(0)).extract().path("id");
        assertEquals(0, heartbeats.checkDue());
        TestStack.update("""
                update heartbeat_monitor set created_at = now() - interval '61 minutes', due_at = now() - interval '1 minute'
                where id = ?""", UUID.fromString(id));
        heartbeats.checkDue(); // this instance's scheduler may have been first: either way one incident
        await().atMost(Duration.ofSeconds(10)).until(() -> incidentOf(id) != null);
        UUID incident = incidentOf(id);
        assertEquals(0, heartbeats.checkDue());
        assertEquals(1, count("select count(*) from incident where service_id = ?", UUID.fromString(service)));
        assertEquals("No heartbeat from nightly-export for 61 min", TestStack.single("select title from incident where id = ?", incident));
        assertEquals(1, count("select count(*) from timeline_entry where incident_id = ? and kind = 'heartbeat_missed'", incident));
    }

    @Test
    void aBadMonitorIsRefusedNamingTheField() {
        String service = TestStack.service("Heartbeat bad", UUID.randomUUID())[0];
        String path = "/api/services/" + service + "/heartbeats";
        as(KeycloakTokens.ADMIN).body("{\"name\":\" \",\"intervalMinutes\":0,\"graceMinutes\":2000}").post(path)
                .then().statusCode(400).body("errors.field", hasItems("name", "intervalMinutes", "graceMinutes"));
        as(KeycloakTokens.ADMIN).body("{\"name\":\"job\\u0000x\",\"intervalMinutes\":5}").post(path)
                .then().statusCode(400).body("errors.field", hasItem("name"));
        as(KeycloakTokens.ADMIN).body("{\"name\":\"job\",\"intervalMinutes\":\"five\"}").post(path).then().statusCode(400);
        as(KeycloakTokens.SATO).body("{\"name\":\"job\",\"intervalMinutes\":5}").post(path).then().statusCode(403);
        var created = as(KeycloakTokens.ADMIN).body("{\"name\":\"job\",\"intervalMinutes\":5}").post(path).then()
                .statusCode(201).body("token", notNullValue()).extract();
        assertTrue(created.header("Location").endsWith("/heartbeats/" + created.path("id")), created.header("Location"));
        as(KeycloakTokens.ADMIN).body("{\"name\":\"JOB\",\"intervalMinutes\":5}").post(path).then().statusCode(409)
                .body("errors.field", hasItem("name"));
        assertEquals(1, count("select count(*) from heartbeat_monitor where service_id = ?", UUID.fromString(service)));
        as(KeycloakTokens.ADMIN).body("{\"name\":\"job\",\"intervalMinutes\":5}")
                .post("/api/services/" + UUID.randomUUID() + "/heartbeats").then().statusCode(404);
    }
}
