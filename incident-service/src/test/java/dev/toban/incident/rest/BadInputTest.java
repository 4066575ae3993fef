package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad text in request bodies is a 400 naming the field, never a 500 and never stored: NUL and other control
 * characters, unpaired surrogates, and line breaks in names and titles (multi-line text such as status
 * updates and impact may have them).
 */
@QuarkusTest
class BadInputTest {

    static String serviceId;
    static String key;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return;
        }
        TestStack.directory();
        String[] created = TestStack.service("Bad input", UUID.randomUUID());
        serviceId = created[0];
        key = created[1];
    }

    static UUID incident() {
        String dedup = "bad-" + UUID.randomUUID();
        enqueue(TestStack.trigger(key, dedup, "Bad input target", "warning")).then().statusCode(202);
        return TestStack.incidentFor(dedup);
    }

    @Test
    void servicesRefuseControlCharactersSurrogatesAndLineBreaksInTheirName() {
        long before = count("select count(*) from technical_service");
        for (String[] bad : new String[][] {
                {"name", "\"Search\\u0000\"", "control character (U+0000)"},
                {"name", "\"Search\\ud800\"", "unpaired surrogate"},
                {"name", "\"Search\\nAPI\"", "single line"},
                {"description", "\"Search\\u0000 API\"", "control character"}}) {
            String body = """
                    {"name":"Search %s","description":"ok","owningTeamId":"%s","escalationPolicyId":"%s"}"""
                    .formatted(UUID.randomUUID(), TestStack.TEAM_SERVER, UUID.randomUUID())
                    .replaceFirst("\"" + bad[0] + "\":\"[^\"]*\"", "\"" + bad[0] + "\":" + bad[1].replace("\\", "\\\\"));
            as(KeycloakTokens.ADMIN).body(body).post("/api/services").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(bad[0]))
                    .body("errors.message", hasItem(containsString(bad[2])));
            as(KeycloakTokens.ADMIN).body(body).put("/api/services/" + serviceId).then().statusCode(400)
                    .body("errors.field", hasItem(bad[0]));
        }
        as(KeycloakTokens.ADMIN).body("{\"name\":\"key\\r\\nx\",\"type\":\"events_v2\"}")
                .post("/api/services/" + serviceId + "/integration-keys").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        assertEquals(before, count("select count(*) from technical_service"));
    }

    @Test
    void incidentPatchRefusesBadTextAndNamesTheField() {
        UUID id = incident();
        as(KeycloakTokens.SATO).body("{\"title\":\"Down\\u0000\"}").patch("/api/incidents/" + id).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("title"));
        as(KeycloakTokens.SATO).body("{\"title\":\"Down\\nreally\"}").patch("/api/incidents/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("title"))
                .body("errors[0].message", containsString("single line"));
        as(KeycloakTokens.SATO).body("{\"impact\":\"half\\udc00\"}").patch("/api/incidents/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("impact"))
                .body("errors[0].message", containsString("unpaired surrogate"));
        as(KeycloakTokens.SATO).body("{\"serviceId\":\"%s\",\"title\":\"By\\rhand\",\"severity\":\"SEV3\"}"
                .formatted(serviceId)).post("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("title"));
        assertEquals("Bad input target", TestStack.single("select title from incident where id = ?", id));
        // impact may span lines
        as(KeycloakTokens.SATO).body("{\"impact\":\"Articles fail\\nfor app users\"}").patch("/api/incidents/" + id)
                .then().statusCode(200).body("impact", equalTo("Articles fail\nfor app users"));
    }

    @Test
    void statusUpdatesRefuseControlCharactersButKeepLineBreaks() {
        UUID id = incident();
        as(KeycloakTokens.SATO).body("{\"message\":\"Rolling back\\u0000\"}").post("/api/incidents/" + id + "/status-updates")
                .then().statusCode(400).body("errors[0].field", equalTo("message"))
                .body("errors[0].message", containsString("U+0000"));
        as(KeycloakTokens.SATO).body("{\"message\":\"Rolling back\\ud83d\"}").post("/api/incidents/" + id + "/status-updates")
                .then().statusCode(400).body("errors[0].field", equalTo("message"));
        assertEquals(0, count("select count(*) from timeline_entry where incident_id = ? and kind = 'status_update'", id));
        as(KeycloakTokens.SATO).body("{\"message\":\"Rolling back\\nETA 10 min \\ud83d\\ude80\"}")
                .post("/api/incidents/" + id + "/status-updates").then().statusCode(200);
        assertEquals(1, count("select count(*) from timeline_entry where incident_id = ? and kind = 'status_update'", id));
    }

    @Test
    void anEventsApiTimestampOutsideWhatCanBeStoredIsAnInvalidEventNotA500() {
        enqueue("""
                {"routing_key":"%s","event_action":"trigger","dedup_key":"far-%s",
                 "payload":{"summary":"Far future","source":"s","severity":"info","timestamp":"+999999-01-01T00:00:00Z"}}"""
                .formatted(key, UUID.randomUUID())).then().statusCode(400)
                .body("status", equalTo("invalid event"))
                .body("errors[0]", containsString("payload.timestamp"));
    }
}
