package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.ADMIN;
import static dev.toban.incident.support.TestStack.SATO;
import static dev.toban.incident.support.TestStack.SUZUKI;
import static dev.toban.incident.support.TestStack.TANAKA;
import static dev.toban.incident.support.TestStack.TEAM_MOBILE;
import static dev.toban.incident.support.TestStack.TEAM_SERVER;
import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole response: IC from the on-call, roles, teams, updates, mitigation, resolution, disbanding, reopening. */
@QuarkusTest
class IncidentLifecycleTest {

    static UUID policy;
    static String serviceId;
    static String key;

    @BeforeEach
    void setUp() {
        if (key != null) {
            return; // once per class; RestAssured knows the port only inside a test
        }
        TestStack.directory();
        policy = UUID.randomUUID();
        // oncall-service's last answer for this policy: sato then suzuki at level 1 (oncall-service is down in tests)
        TestStack.cacheTargets(policy, 1, 2, 0, 15, SATO, SUZUKI);
        String[] created = TestStack.service("Lifecycle", policy);
        serviceId = created[0];
        key = created[1];
    }

    static UUID openIncident() {
        String dedup = "life-" + UUID.randomUUID();
        enqueue(trigger(key, dedup, "Article pages fail", "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        TestStack.awaitJson(KeycloakTokens.YAMADA, "/api/incidents/" + id, j -> j.get("commander") != null);
        return id;
    }

    static String url(UUID id, String action) {
        return "/api/incidents/" + id + action;
    }

    @Test
    void theOnCallBecomesIcAndTheTriggeredEventPagesLevelOne() {
        UUID id = openIncident();
        as(KeycloakTokens.YAMADA).get(url(id, "")).then()
                .body("commander.id", equalTo(SATO.toString()))
                .body("commander.username", equalTo("sato"))
                .body("commander.locale", equalTo("ja"));
        JsonNode triggered = TestStack.awaitEvent("toban.incident.triggered", id);
        assertEquals(SATO.toString(), triggered.at("/data/incident/commander/id").asText());
        assertEquals(List.of("sato", "suzuki"), List.of(triggered.at("/data/page/targets/0/username").asText(),
                triggered.at("/data/page/targets/1/username").asText()));
        assertEquals(1, TestStack.events("toban.incident.triggered", id).size());
        List<String> kinds = as(KeycloakTokens.YAMADA).get(url(id, "/timeline")).then().statusCode(200)
                .extract().jsonPath().getList("kind");
        assertTrue(kinds.containsAll(List.of("opened", "commander_assigned", "paged")), kinds.toString());
        String assigned = as(KeycloakTokens.YAMADA).get(url(id, "/timeline")).then().extract().jsonPath()
                .getString("find { it.kind == 'commander_assigned' }.message");
        assertTrue(assigned.contains("Hanako Sato") && assigned.contains("oncall-service is unreachable"), assigned);
        // the next level waits in a persistent timer
        assertEquals(2L, ((Number) TestStack.single("select level from escalation_timer where incident_id = ?", id)).longValue());
    }

    @Test
    void fullResponseFromAcknowledgementToReopening() {
        UUID id = openIncident();

        as(KeycloakTokens.YAMADA).post(url(id, "/acknowledge")).then().statusCode(403);
        as(KeycloakTokens.SATO).post(url(id, "/acknowledge")).then().statusCode(200)
                .body("state", equalTo("acknowledged")).body("acknowledgedAt", notNullValue());
        as(KeycloakTokens.SATO).post(url(id, "/acknowledge")).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("state"));
        assertEquals(0, count("select count(*) from escalation_timer where incident_id = ?", id), "ack stops escalation");
        JsonNode ack = TestStack.awaitEvent("toban.incident.acknowledged", id);
        assertEquals("sato", ack.at("/data/actor/username").asText());
        assertEquals(SATO.toString(), ack.at("/data/actor/personId").asText());

        // the IC assigns the owning team; it counts as assigned once one of its engineers joins
        as(KeycloakTokens.SATO).body("{\"teamId\":\"" + TEAM_MOBILE + "\",\"owning\":true}").post(url(id, "/teams"))
                .then().statusCode(200)
                .body("owningTeam.name", equalTo("Mobile"))
                .body("assignedTeams.name", contains("Mobile"))
                .body("assignedAt", nullValue());
        assertEquals("Mobile", TestStack.awaitEvent("toban.incident.assigned", id).at("/data/team/name").asText());
        as(KeycloakTokens.SUZUKI).post(url(id, "/responders")).then().statusCode(200)
                .body("responders.username", contains("suzuki"))
                .body("assignedAt", nullValue()); // suzuki is Server, not Mobile
        as(KeycloakTokens.SATO).body("{\"username\":\"tanaka\"}").post(url(id, "/responders")).then().statusCode(200)
                .body("responders.username", contains("suzuki", "tanaka"))
                .body("assignedAt", notNullValue());

        as(KeycloakTokens.SATO).body("{\"personId\":\"" + TANAKA + "\"}").put(url(id, "/liaison")).then().statusCode(200)
                .body("liaison.username", equalTo("tanaka"));
        as(KeycloakTokens.SATO).body("{\"message\":\"Rolling back deploy 42\"}").post(url(id, "/status-updates"))
                .then().statusCode(200);
        assertEquals("Rolling back deploy 42",
                TestStack.awaitEvent("toban.incident.status_updated", id).at("/data/message").asText());

        // only the IC (or an admin) hands the role over
        as(KeycloakTokens.TANAKA).body("{\"personId\":\"" + TANAKA + "\"}").put(url(id, "/commander")).then()
                .statusCode(403).contentType("application/problem+json");
        as(KeycloakTokens.SATO).body("{\"personId\":\"" + SUZUKI + "\"}").put(url(id, "/commander")).then()
                .statusCode(200).body("commander.username", equalTo("suzuki"));
        await().atMost(Duration.ofSeconds(10)).until(() -> TestStack.events("toban.incident.role_changed", id).stream()
                .anyMatch(e -> e.at("/data/role").asText().equals("commander")
                        && e.at("/data/person/username").asText().equals("suzuki")
                        && e.at("/data/previous/username").asText().equals("sato")
                        && e.at("/data/change").asText().equals("set")));

        as(KeycloakTokens.SUZUKI).body("{\"note\":\"traffic shifted to the old pods\"}").post(url(id, "/mitigate"))
                .then().statusCode(200).body("state", equalTo("mitigated")).body("mitigatedAt", notNullValue());
        assertEquals("traffic shifted to the old pods",
                TestStack.awaitEvent("toban.incident.mitigated", id).at("/data/note").asText());
        as(KeycloakTokens.SUZUKI).body("{\"note\":\"fixed\"}").post(url(id, "/close")).then().statusCode(409);
        as(KeycloakTokens.SUZUKI).body("{\"note\":\"fixed\"}").post(url(id, "/resolve")).then().statusCode(200)
                .body("state", equalTo("resolved"));
        TestStack.awaitEvent("toban.incident.resolved", id);

        as(KeycloakTokens.SATO).body("{}").post(url(id, "/close")).then().statusCode(403);
        as(KeycloakTokens.SUZUKI).body("{\"note\":\"response disbanded\"}").post(url(id, "/close")).then()
                .statusCode(200).body("state", equalTo("closed")).body("closedAt", notNullValue());
        assertEquals("response disbanded", TestStack.awaitEvent("toban.incident.closed", id).at("/data/note").asText());
        as(KeycloakTokens.SUZUKI).body("{\"message\":\"late\"}").post(url(id, "/status-updates")).then().statusCode(409);

        as(KeycloakTokens.TANAKA).body("{}").post(url(id, "/reopen")).then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        as(KeycloakTokens.TANAKA).body("{\"reason\":\"errors are back\"}").post(url(id, "/reopen")).then()
                .statusCode(200).body("state", equalTo("acknowledged"))
                .body("resolvedAt", nullValue()).body("closedAt", nullValue());
        assertEquals("errors are back", TestStack.awaitEvent("toban.incident.reopened", id).at("/data/reason").asText());

        JsonPath timeline = as(KeycloakTokens.YAMADA).get(url(id, "/timeline")).then().statusCode(200).extract().jsonPath();
        List<String> kinds = timeline.getList("kind");
        List<String> expectedOrder = List.of("opened", "acknowledged", "team_assigned", "owning_team_engaged",
                "status_update", "role_changed", "mitigated", "resolved", "closed", "reopened");
        int last = -1;
        for (String kind : expectedOrder) {
            int at = kinds.subList(last + 1, kinds.size()).indexOf(kind);
            assertTrue(at >= 0, kind + " in order in " + kinds);
            last += at + 1;
        }
        assertEquals("sato", timeline.getString("find { it.kind == 'acknowledged' }.actor.username"));
        assertEquals("tanaka", timeline.getString("find { it.kind == 'reopened' }.actor.username"));
        assertTrue(timeline.getList("at").stream().allMatch(at -> at != null));
        // every event carried the snapshot with a growing version
        long closedVersion = TestStack.events("toban.incident.closed", id).get(0).at("/data/incident/version").asLong();
        long ackVersion = TestStack.events("toban.incident.acknowledged", id).get(0).at("/data/incident/version").asLong();
        assertTrue(closedVersion > ackVersion);
    }

    @Test
    void liaisonCanBeRemovedAndRespondersLeave() {
        UUID id = openIncident();
        as(KeycloakTokens.SATO).body("{\"username\":\"suzuki\"}").put(url(id, "/liaison")).then().statusCode(200);
        as(KeycloakTokens.SATO).delete(url(id, "/liaison")).then().statusCode(200).body("liaison", nullValue());
        await().atMost(Duration.ofSeconds(10)).until(() -> TestStack.events("toban.incident.role_changed", id).stream()
                .anyMatch(e -> e.at("/data/role").asText().equals("liaison") && e.at("/data/change").asText().equals("removed")));
        as(KeycloakTokens.SATO).post(url(id, "/responders")).then().statusCode(200).body("responders", hasSize(1));
        as(KeycloakTokens.SATO).delete(url(id, "/responders/" + SATO)).then().statusCode(200).body("responders", hasSize(0));
        as(KeycloakTokens.SATO).delete(url(id, "/responders/" + SATO)).then().statusCode(404);
    }

    @Test
    void anAdminMayHandOverAndTheTeamMustBeKnown() {
        UUID id = openIncident();
        as(KeycloakTokens.ADMIN).body("{\"personId\":\"" + ADMIN + "\"}").put(url(id, "/commander")).then()
                .statusCode(200).body("commander.username", equalTo("admin"));
        as(KeycloakTokens.ADMIN).body("{\"teamId\":\"" + UUID.randomUUID() + "\"}").post(url(id, "/teams")).then()
                .statusCode(400).body("errors[0].field", equalTo("teamId"));
        as(KeycloakTokens.ADMIN).body("{\"teamId\":\"" + TEAM_SERVER + "\"}").post(url(id, "/teams")).then()
                .statusCode(200).body("assignedTeams.name", contains("Server")).body("owningTeam.name", equalTo("Server"));
    }

    @Test
    void badCommandsAreProblemsThatNameTheField() {
        UUID id = openIncident();
        as(KeycloakTokens.SATO).body("{\"personId\":\"" + UUID.randomUUID() + "\"}").put(url(id, "/commander")).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("personId"));
        as(KeycloakTokens.SATO).body("{\"username\":\"nobody\"}").put(url(id, "/liaison")).then()
                .statusCode(400).body("errors[0].field", equalTo("username"));
        as(KeycloakTokens.SATO).body("{\"severity\":\"SEV9\"}").patch(url(id, "")).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("severity"));
        as(KeycloakTokens.SATO).body("{}").patch(url(id, "")).then().statusCode(400);
        as(KeycloakTokens.SATO).body("{\"message\":\"\"}").post(url(id, "/status-updates")).then()
                .statusCode(400).body("errors[0].field", equalTo("message"));
        as(KeycloakTokens.SATO).body("{\"message\": [1]}").post(url(id, "/status-updates")).then()
                .statusCode(400).body("errors[0].field", equalTo("message"));
        // issue 17: when the next update is due, 1 minute to a day
        as(KeycloakTokens.SATO).body("{\"message\":\"x\",\"nextUpdateInMinutes\":0}").post(url(id, "/status-updates"))
                .then().statusCode(400).body("errors[0].field", equalTo("nextUpdateInMinutes"));
        as(KeycloakTokens.SATO).body("{\"message\":\"x\",\"nextUpdateInMinutes\":1441}").post(url(id, "/status-updates"))
                .then().statusCode(400).body("errors[0].field", equalTo("nextUpdateInMinutes"));
        assertEquals(0L, count("select count(*) from timeline_entry where incident_id = ? and kind = 'status_update'", id));
        as(KeycloakTokens.SATO).post(url(UUID.randomUUID(), "/acknowledge")).then().statusCode(404)
                .contentType("application/problem+json");
        as(KeycloakTokens.YAMADA).get("/api/incidents?state=sleeping").then().statusCode(400)
                .body("errors[0].field", equalTo("state"));
        given().get(url(id, "")).then().statusCode(401);
    }

    @Test
    void severityChangesAreOnTheTimelineAndInAnEvent() {
        UUID id = openIncident();
        as(KeycloakTokens.SATO).body("{\"severity\":\"SEV1\",\"impact\":\"All article pages\"}").patch(url(id, ""))
                .then().statusCode(200).body("severity", equalTo("SEV1")).body("impact", equalTo("All article pages"));
        JsonNode updated = TestStack.awaitEvent("toban.incident.updated", id);
        assertEquals("SEV2", updated.at("/data/changes/severity/from").asText());
        assertEquals("SEV1", updated.at("/data/changes/severity/to").asText());
    }

    @Test
    void aResponderDeclaresAnIncidentByHandAndListsFilter() {
        String id = as(KeycloakTokens.SATO).body("""
                {"serviceId":"%s","title":"Login broken","severity":"SEV2","impact":"Nobody can log in"}""".formatted(serviceId))
                .post("/api/incidents").then().statusCode(201)
                .body("source", equalTo("manual")).body("state", equalTo("triggered"))
                .extract().path("id");
        as(KeycloakTokens.YAMADA).body("{\"serviceId\":\"" + serviceId + "\",\"title\":\"x\",\"severity\":\"SEV1\"}")
                .post("/api/incidents").then().statusCode(403);
        as(KeycloakTokens.SATO).body("{\"serviceId\":\"" + UUID.randomUUID() + "\",\"title\":\"x\",\"severity\":\"SEV1\"}")
                .post("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("serviceId"));
        as(KeycloakTokens.YAMADA).get("/api/incidents?serviceId=" + serviceId + "&state=all").then().statusCode(200)
                .body("id", hasItem(id));
        as(KeycloakTokens.YAMADA).get("/api/incidents?serviceId=" + serviceId + "&state=closed").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(hasItem(id)));
        given().contentType(ContentType.JSON).get("/api/incidents").then().statusCode(401);
    }
}
