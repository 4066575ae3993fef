package dev.toban.postmortem.rest;

import static dev.toban.postmortem.testing.Api.as;
import static dev.toban.postmortem.testing.Api.awaitEvent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.FakeHttpReceiver;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Action items: owner, team, due date, status; export to a team's backlog through its webhook. */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class ActionItemTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static BrokerProbe broker;
    static FakeHttpReceiver tracker;

    @BeforeAll
    static void start() {
        broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.action_item.*");
        tracker = GreenMailResource.tracker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static LocalDate today() {
        return LocalDate.now(Api.TOKYO);
    }

    static String item(String title, UUID owner, LocalDate due) {
        return "{\"title\":\"" + title + "\",\"description\":\"Page before users notice.\",\"ownerId\":\"" + owner
                + "\",\"dueDate\":\"" + due + "\"}";
    }

    /** A team of its own with a webhook pointing at the fake tracker. */
    static UUID teamWithWebhook(String kind, String path, String extra) {
        UUID team = UUID.randomUUID();
        as(KeycloakTokens.ADMIN).body("{\"teamId\":\"" + team + "\",\"teamName\":\"Team " + kind + "\",\"kind\":\"" + kind
                        + "\",\"url\":\"" + tracker.url(path) + "\",\"secret\":\"s3cr3t\",\"labels\":[\"sre\"]" + extra + "}")
                .post("/api/backlog-webhooks").then().statusCode(201).body("hasSecret", equalTo(true));
        return team;
    }

    static TestIncident incidentOwnedBy(UUID team) {
        TestIncident incident = new TestIncident().responders(TestIncident.someone("suzuki"));
        incident.teamId = team;
        return incident;
    }

    @Test
    void createUpdateAndTheirEvents() {
        TestIncident incident = new TestIncident().responders(TestIncident.someone("suzuki"));
        String id = Api.open(broker, incident);
        UUID owner = incident.responders.get(0).id();
        JsonNode created = JSON.valueToTree(as(KeycloakTokens.SUZUKI).body(item("Alert on 5xx rate", owner, today().plusDays(14)))
                .post("/api/postmortems/" + id + "/action-items").then().statusCode(201)
                .body("status", equalTo("open")).body("owner.username", equalTo("suzuki"))
                .body("team.name", equalTo("Server")).body("team.timeZone", equalTo("Asia/Tokyo"))
                .extract().as(java.util.Map.class));
        String itemId = created.get("id").asText();
        JsonNode event = awaitEvent(broker, "toban.postmortem.action_item.created", id);
        assertEquals(itemId, event.at("/data/actionItem/id").asText());
        assertEquals("suzuki", event.at("/data/actionItem/owner/username").asText());
        assertEquals(today().plusDays(14).toString(), event.at("/data/actionItem/dueDate").asText());

        as(KeycloakTokens.SUZUKI).body("{\"version\":0,\"status\":\"in_progress\"}").patch("/api/action-items/" + itemId)
                .then().statusCode(200).body("status", equalTo("in_progress")).body("version", equalTo(1));
        JsonNode updated = awaitEvent(broker, "toban.postmortem.action_item.updated", id);
        assertEquals("in_progress", updated.at("/data/actionItem/status").asText());
        assertEquals("status", updated.at("/data/changes/0").asText());
        as(KeycloakTokens.SATO).body("{\"version\":0,\"status\":\"done\"}").patch("/api/action-items/" + itemId)
                .then().statusCode(409).body("errors[0].field", equalTo("version"));
        as(KeycloakTokens.SATO).body("{\"version\":1,\"status\":\"finished\"}").patch("/api/action-items/" + itemId)
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(KeycloakTokens.TANAKA).body("{\"version\":1,\"status\":\"done\"}").patch("/api/action-items/" + itemId)
                .then().statusCode(403);
        as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/action-items").then().statusCode(200)
                .body("id", hasItem(itemId));
        as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/document.md").then().statusCode(200)
                .body(containsString("Alert on 5xx rate"));
    }

    @Test
    void badActionItemsAre400sThatNameTheField() {
        TestIncident incident = new TestIncident();
        String id = Api.open(broker, incident);
        String path = "/api/postmortems/" + id + "/action-items";
        UUID owner = incident.responders.get(0).id();
        as(KeycloakTokens.SATO).body(item("Late", owner, today().minusDays(1))).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("dueDate"))
                .body("errors[0].message", containsString("in the past"));
        as(KeycloakTokens.SATO).body("{\"title\":\"x\",\"ownerId\":\"" + owner + "\",\"dueDate\":\"2026-13-01\"}").post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("dueDate"));
        as(KeycloakTokens.SATO).body("{\"title\":\"\",\"ownerId\":\"" + owner + "\",\"dueDate\":\"" + today().plusDays(3) + "\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("title"));
        as(KeycloakTokens.SATO).body("{\"title\":\"x\",\"dueDate\":\"" + today().plusDays(3) + "\"}").post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("ownerId"));
        as(KeycloakTokens.SATO).body(item("x", owner, today().plusDays(3)).replace("}", ",\"status\":\"someday\"}"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("status"));
        // an owner id nobody knows: oncall-service is down in this test, so it is a 503 naming ownerId
        as(KeycloakTokens.SATO).body(item("x", UUID.randomUUID(), today().plusDays(3))).post(path).then().statusCode(503)
                .body("errors[0].field", equalTo("ownerId"));
        as(KeycloakTokens.YAMADA).body(item("x", owner, today().plusDays(3))).post(path).then().statusCode(403);
        as(KeycloakTokens.TANAKA).body(item("x", owner, today().plusDays(3))).post(path).then().statusCode(403);
        as(KeycloakTokens.SATO).get(path).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void exportToGitHubIssues() throws Exception {
        UUID team = teamWithWebhook("github", "/repos/acme/api/issues", ",\"assignOwner\":true");
        tracker.answer("/repos/acme/api/issues", 201, "{\"number\":7,\"html_url\":\"https://github.com/acme/api/issues/7\"}");
        TestIncident incident = incidentOwnedBy(team);
        String id = Api.open(broker, incident);
        String itemId = as(KeycloakTokens.SATO).body(item("Alert on 5xx rate", incident.responders.get(0).id(), today().plusDays(10)))
                .post("/api/postmortems/" + id + "/action-items").then().statusCode(201).extract().path("id");

        as(KeycloakTokens.SATO).post("/api/action-items/" + itemId + "/export").then().statusCode(200)
                .body("externalUrl", equalTo("https://github.com/acme/api/issues/7"));
        FakeHttpReceiver.Request request = tracker.requests("/repos/acme/api/issues").get(0);
        assertEquals("POST", request.method());
        assertEquals("Bearer s3cr3t", request.header("Authorization"));
        JsonNode body = JSON.readTree(request.body());
        assertEquals("Alert on 5xx rate", body.get("title").asText());
        assertTrue(body.get("body").asText().contains("incident #" + incident.number), body.toString());
        assertEquals("[\"postmortem\",\"sre\"]", body.get("labels").toString());
        assertEquals("[\"suzuki\"]", body.get("assignees").toString());

        JsonNode exported = awaitEvent(broker, "toban.postmortem.action_item.exported", id);
        assertEquals("https://github.com/acme/api/issues/7", exported.at("/data/externalUrl").asText());
        as(KeycloakTokens.SATO).post("/api/action-items/" + itemId + "/export").then().statusCode(409);
        assertEquals(1, tracker.requests("/repos/acme/api/issues").size(), "exported once");
    }

    @Test
    void exportToJiraAndARefusalLeavesTheItemUnexported() throws Exception {
        UUID team = teamWithWebhook("jira", "/rest/api/2/issue", ",\"jiraProjectKey\":\"OPS\",\"jiraIssueType\":\"Story\"");
        TestIncident incident = incidentOwnedBy(team);
        String id = Api.open(broker, incident);
        String itemId = as(KeycloakTokens.SATO).body(item("Runbook for cache expiry", incident.responders.get(0).id(), today().plusDays(5)))
                .post("/api/postmortems/" + id + "/action-items").then().statusCode(201).extract().path("id");

        tracker.answer("/rest/api/2/issue", 400, "{\"errors\":{\"project\":\"project is required\"}}");
        as(KeycloakTokens.SATO).post("/api/action-items/" + itemId + "/export").then().statusCode(502)
                .contentType("application/problem+json").body("detail", equalTo("the backlog webhook answered HTTP 400"));
        as(KeycloakTokens.SATO).get("/api/action-items/" + itemId).then().body("externalUrl", equalTo(null))
                .body("exportedAt", equalTo(null));

        tracker.answer("/rest/api/2/issue", 201, "{\"id\":\"10001\",\"key\":\"OPS-12\",\"self\":\"x\"}");
        // exported; the browse link would be http://127.0.0.1/... and only https links are kept
        as(KeycloakTokens.SATO).post("/api/action-items/" + itemId + "/export").then().statusCode(200)
                .body("exportedAt", org.hamcrest.Matchers.notNullValue()).body("externalUrl", equalTo(null));
        JsonNode body = JSON.readTree(tracker.requests("/rest/api/2/issue").get(1).body());
        assertEquals("OPS", body.at("/fields/project/key").asText());
        assertEquals("Runbook for cache expiry", body.at("/fields/summary").asText());
        assertEquals("Story", body.at("/fields/issuetype/name").asText());
        assertEquals(today().plusDays(5).toString(), body.at("/fields/duedate").asText());
        assertEquals("[\"postmortem\",\"sre\"]", body.at("/fields/labels").toString());
        assertTrue(body.at("/fields/description").asText().contains("Runbook") || body.at("/fields/description").asText().contains("incident #"));
    }

    @Test
    void exportWithoutAWebhookIsAConflict() {
        TestIncident incident = incidentOwnedBy(UUID.randomUUID());
        String id = Api.open(broker, incident);
        String itemId = as(KeycloakTokens.SATO).body(item("x", incident.responders.get(0).id(), today().plusDays(5)))
                .post("/api/postmortems/" + id + "/action-items").then().statusCode(201).extract().path("id");
        as(KeycloakTokens.SATO).post("/api/action-items/" + itemId + "/export").then().statusCode(409)
                .body("errors[0].field", equalTo("teamId"));
    }
}
