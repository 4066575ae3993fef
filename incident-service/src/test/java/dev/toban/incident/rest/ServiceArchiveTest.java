package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admins archive services and keys. An archived service is hidden from lists, readable by id, refuses new
 * incidents, SOS and events on its keys, and is refused while something still refers to it.
 */
@QuarkusTest
class ServiceArchiveTest {

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    static String keyId(String serviceId) {
        return as(KeycloakTokens.ADMIN).get("/api/services/" + serviceId + "/integration-keys").then().statusCode(200)
                .extract().path("[0].id");
    }

    @Test
    void archivingIsRefusedWhileIncidentsOrKeysReferToItAndThenHidesTheService() {
        String[] service = TestStack.service("Archive me", UUID.randomUUID());
        String id = service[0];
        String dedup = "archive-" + UUID.randomUUID();
        enqueue(trigger(service[1], dedup, "Still burning", "error")).then().statusCode(202);
        UUID incident = TestStack.incidentFor(dedup);
        long number = ((Number) TestStack.single("select number from incident where id = ?", incident)).longValue();

        as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/archive").then().statusCode(409)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("incidents", "integrationKeys"))
                .body("errors.message", hasItem("open incident #" + number + " Still burning"))
                .body("errors.message", hasItem(containsString("active integration key 'monitoring'")));
        as(KeycloakTokens.SATO).post("/api/services/" + id + "/archive").then().statusCode(403);

        as(KeycloakTokens.SATO).body("{\"note\":\"fixed\"}").post("/api/incidents/" + incident + "/resolve").then()
                .statusCode(200);
        // archiving a key is revoking it
        String key = keyId(id);
        JsonPath revoked = as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/integration-keys/" + key + "/archive")
                .then().statusCode(200).body("active", equalTo(false)).body("revokedBy", equalTo("admin"))
                .extract().jsonPath();
        assertEquals(revoked.getString("revokedAt"), revoked.getString("archivedAt"));

        as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/archive").then().statusCode(200)
                .body("archivedAt", notNullValue()).body("archivedBy", equalTo("admin"));
        as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/archive").then().statusCode(200); // again: no change
        as(KeycloakTokens.YAMADA).get("/api/services").then().statusCode(200).body("id", not(hasItem(id)));
        as(KeycloakTokens.YAMADA).get("/api/services?includeArchived=true").then().statusCode(200).body("id", hasItem(id));
        as(KeycloakTokens.YAMADA).get("/api/services/" + id).then().statusCode(200).body("archivedAt", notNullValue());
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + incident).then().statusCode(200)
                .body("service.id", equalTo(id)); // history still refers to it

        // nothing new on it: no incident, no SOS, no key, no reopening
        as(KeycloakTokens.SATO).body("{\"serviceId\":\"%s\",\"title\":\"x\",\"severity\":\"SEV3\"}".formatted(id))
                .post("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("serviceId"))
                .body("errors[0].message", containsString("archived"));
        as(KeycloakTokens.ADMIN).body("{\"name\":\"new\",\"type\":\"events_v2\"}")
                .post("/api/services/" + id + "/integration-keys").then().statusCode(409);
        as(KeycloakTokens.SATO).body("{\"reason\":\"back\"}").post("/api/incidents/" + incident + "/reopen").then()
                .statusCode(409).body("errors[0].field", equalTo("serviceId"));

        // a key that is still active (revoked by hand in the database, or a replica's cache) is refused all the same
        TestStack.update("update integration_key set revoked_at = null where id = ?", UUID.fromString(key));
        enqueue(trigger(service[1], "after-" + UUID.randomUUID(), "refused", "error")).then().statusCode(400)
                .body("errors", contains("Invalid routing key"));

        // unarchive: listed and usable again (its team and policy are still valid in oncall-service)
        as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/unarchive").then().statusCode(200)
                .body("archivedAt", nullValue());
        as(KeycloakTokens.YAMADA).get("/api/services").then().body("id", hasItem(id));
        as(KeycloakTokens.SATO).body("{\"serviceId\":\"%s\",\"title\":\"Back\",\"severity\":\"SEV3\"}".formatted(id))
                .post("/api/incidents").then().statusCode(201);
    }

    @Test
    void theSosTriageServiceCannotBeArchived() {
        as(KeycloakTokens.ADMIN).post("/api/services/" + TestStack.TRIAGE + "/archive").then().statusCode(409)
                .body("errors.field", hasItem("toban.incident.sos.service-id"));
    }

    @Test
    void unarchivingChecksTheServicesReferencesAgain() {
        UUID policy = UUID.randomUUID();
        String id = TestStack.service("Policy retired", policy)[0];
        as(KeycloakTokens.ADMIN).delete("/api/services/" + id + "/integration-keys/" + keyId(id)).then().statusCode(200);
        as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/archive").then().statusCode(200);
        FakeOnCall.answer("/api/escalation-policies/" + policy, 200, """
                {"id":"%s","name":"Retired","archivedAt":"2026-11-30T00:00:00Z"}""".formatted(policy));
        as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/unarchive").then().statusCode(409)
                .body("errors[0].field", equalTo("escalationPolicyId"));
        as(KeycloakTokens.YAMADA).get("/api/services/" + id).then().body("archivedAt", notNullValue());
        // an admin points it at a current policy (allowed while archived), then brings it back
        String name = as(KeycloakTokens.YAMADA).get("/api/services/" + id).then().extract().path("name");
        as(KeycloakTokens.ADMIN).body("""
                {"name":"%s","owningTeamId":"%s","escalationPolicyId":"%s"}""".formatted(name, TestStack.TEAM_SERVER,
                UUID.randomUUID())).put("/api/services/" + id).then().statusCode(200);
        as(KeycloakTokens.ADMIN).post("/api/services/" + id + "/unarchive").then().statusCode(200);
    }
}
