package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo organisation (docs/architecture.md) answered through the read API. */
@QuarkusTest
class OnCallResourceTest {

    static final String SERVER = DemoDataService.SCHEDULE_SERVER.toString();
    static final String MOBILE = DemoDataService.SCHEDULE_MOBILE.toString();

    @Inject
    DemoDataService demo;

    @BeforeEach
    void demoData() {
        Fixtures.demo(demo);
    }

    @Test
    void demoDataIsCreatedOnceWithTheSeedsShape() {
        assertEquals(0, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(demo::createIfAbsent));
        given().auth().oauth2(admin()).get("/api/teams/" + DemoDataService.TEAM_SERVER).then().statusCode(200)
                .body("slackChannel", equalTo("#team-server"))
                .body("members.username", equalTo(List.of("sato", "suzuki", "takahashi", "ito", "admin")));
        given().auth().oauth2(admin()).get("/api/schedules/" + SERVER).then().statusCode(200)
                .body("role", equalTo("server"))
                .body("layers[0].slots", equalTo(2))
                .body("layers[0].shiftLength.unit", equalTo("WEEKS"));
    }

    @Test
    void nowListsEverySchedulesOnCallWithTheNextHandoffAtAGivenInstant() {
        // Wednesday 2026-11-25 12:00 JST, in week (2026-11-23 - 2024-01-01) / 7 = 151: odd, so takahashi and ito
        JsonPath now = given().auth().oauth2(token(KeycloakTokens.YAMADA)).queryParam("at", "2026-11-25T03:00:00Z")
                .get("/api/oncall/now").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> entries = now.getList("");
        Map<String, Object> server = entries.stream()
                .filter(e -> SERVER.equals(((Map<?, ?>) e.get("schedule")).get("id"))).findFirst().orElseThrow();
        JsonPath s = new JsonPath(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(server).toString());
        assertEquals("server", s.getString("schedule.role"));
        assertEquals("Asia/Tokyo", s.getString("schedule.timeZone"));
        assertEquals("#team-server", s.getString("team.slackChannel"));
        assertEquals(List.of("takahashi", "ito"), s.getList("onCall.person.username"));
        assertEquals("2026-11-23T01:00:00Z", s.getString("onCall[0].since"));
        assertEquals("2026-11-30T01:00:00Z", s.getString("onCall[0].until"));
        assertEquals("layer", s.getString("onCall[0].source"));
        assertEquals("2026-11-30T01:00:00Z", s.getString("nextHandoff"));

        given().auth().oauth2(admin()).queryParam("teamId", DemoDataService.TEAM_MOBILE.toString())
                .queryParam("role", "mobile").queryParam("at", "2026-11-25T03:00:00Z")
                .get("/api/oncall").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].schedule.id", equalTo(MOBILE))
                .body("[0].onCall", hasSize(1))
                .body("[0].onCall[0].person.username", equalTo("watanabe"));
        given().auth().oauth2(admin()).get("/api/oncall/now").then().statusCode(200)
                .body("find { it.schedule.id == '" + SERVER + "' }.onCall", hasSize(2))
                .body("find { it.schedule.id == '" + SERVER + "' }.nextHandoff", notNullValue());
        given().auth().oauth2(admin()).queryParam("at", "next tuesday").get("/api/oncall/now").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("at"));
        given().get("/api/oncall/now").then().statusCode(401);
        given().auth().oauth2(admin()).queryParam("teamId", "server").get("/api/oncall").then().statusCode(400)
                .body("errors[0].field", equalTo("teamId"));
    }

    @Test
    void theTargetsEndpointAnswersWhomToPageAtLevelKAtTimeT() {
        String policy = DemoDataService.POLICY_SERVER.toString();
        given().auth().oauth2(KeycloakTokens.service()).queryParam("level", 1).queryParam("at", "2026-11-18T03:00:00Z")
                .get("/api/escalation-policies/" + policy + "/targets").then().statusCode(200)
                .body("policyId", equalTo(policy))
                .body("policyName", equalTo("Server default"))
                .body("level", equalTo(1))
                .body("levels", equalTo(2))
                .body("repeatCount", equalTo(1))
                .body("delayMinutes", equalTo(15))
                .body("targets[0].type", equalTo("schedule"))
                .body("targets[0].id", equalTo(SERVER))
                .body("people.username", equalTo(List.of("sato", "suzuki")));
        given().auth().oauth2(KeycloakTokens.service()).queryParam("level", 2).queryParam("at", "2026-11-18T03:00:00Z")
                .get("/api/escalation-policies/" + policy + "/targets").then().statusCode(200)
                .body("targets[0].type", equalTo("person"))
                .body("people.username", equalTo(List.of("admin")));
        given().auth().oauth2(KeycloakTokens.service()).queryParam("level", 3)
                .get("/api/escalation-policies/" + policy + "/targets").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("level"));
        given().auth().oauth2(KeycloakTokens.service()).queryParam("level", "first")
                .get("/api/escalation-policies/" + policy + "/targets").then().statusCode(400)
                .body("errors[0].field", equalTo("level"));
        given().auth().oauth2(KeycloakTokens.service()).queryParam("level", 1)
                .get("/api/escalation-policies/" + UUID.randomUUID() + "/targets").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void policiesAreValidatedAndOnlyAdminsWriteThem() {
        String body = """
                {"name":"%s","repeatCount":2,"levels":[{"delayMinutes":10,"targets":[{"type":"schedule","id":"%s"}]}]}
                """;
        given().auth().oauth2(token(KeycloakTokens.SATO)).contentType("application/json")
                .body(body.formatted(Fixtures.uniq("P"), SERVER)).post("/api/escalation-policies").then().statusCode(403);
        given().auth().oauth2(admin()).contentType("application/json")
                .body(body.formatted(Fixtures.uniq("P"), UUID.randomUUID())).post("/api/escalation-policies")
                .then().statusCode(400).body("errors[0].field", equalTo("levels[0].targets[0].id"));
        given().auth().oauth2(admin()).contentType("application/json")
                .body(body.formatted(Fixtures.uniq("P"), SERVER).replace("\"schedule\"", "\"team\""))
                .post("/api/escalation-policies").then().statusCode(400)
                .body("errors[0].field", equalTo("levels[0].targets[0].type"));
        String id = given().auth().oauth2(admin()).contentType("application/json")
                .body(body.formatted(Fixtures.uniq("P"), SERVER)).post("/api/escalation-policies")
                .then().statusCode(201).body("levels[0].level", equalTo(1)).extract().path("id");
        given().auth().oauth2(admin()).queryParam("level", 1).get("/api/escalation-policies/" + id + "/targets")
                .then().statusCode(200).body("people", hasSize(2));
        // a schedule that a policy pages cannot be deleted
        given().auth().oauth2(admin()).delete("/api/schedules/" + SERVER).then().statusCode(409)
                .contentType("application/problem+json");
    }
}
