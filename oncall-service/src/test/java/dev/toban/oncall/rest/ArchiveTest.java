package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.person;
import static dev.toban.oncall.testing.Fixtures.scheduleBody;
import static dev.toban.oncall.testing.Fixtures.team;
import static dev.toban.oncall.testing.Fixtures.token;
import static dev.toban.oncall.testing.Fixtures.uniq;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.oncall.testing.FakeIncidentService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Archiving teams, people, schedules and escalation policies: refused while something live refers to
 * them (incident-service's services included, answered here by {@link FakeIncidentService}), kept readable,
 * out of the lists, never chosen again as a reference, and reversible.
 */
@QuarkusTest
@WithTestResource(FakeIncidentService.class)
class ArchiveTest {

    static BrokerProbe broker;

    @BeforeAll
    static void watch() {
        broker = new BrokerProbe("toban_test_oncall").watch("toban.oncall", "toban.oncall.#");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    static String weekly(String... people) {
        return layer("Primary", 1, List.of(people), 1, 1, "WEEKS", "10:00", "2026-01-05", null);
    }

    static String name(String kind, String id) {
        return given().auth().oauth2(admin()).get("/api/" + kind + "/" + id).then().statusCode(200).extract().path("name");
    }

    static String policyBody(String name, String type, String target) {
        return """
                {"name":"%s","levels":[{"delayMinutes":10,"targets":[{"type":"%s","id":"%s"}]}]}
                """.formatted(name, type, target);
    }

    static String policy(String type, String target) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(policyBody(uniq("Policy"), type, target))
                .post("/api/escalation-policies").then().statusCode(201).extract().path("id");
    }

    static JsonNode lastData(String type, String subject) {
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received(type).stream()
                .anyMatch(e -> subject.equals(e.path("subject").asText())));
        List<JsonNode> events = broker.received(type).stream().filter(e -> subject.equals(e.path("subject").asText()))
                .toList();
        return events.get(events.size() - 1).path("data");
    }

    @Test
    void aPersonInUseIsNotArchivedAndTheRefusalSaysWhere() {
        String sato = person("Sato Archive");
        String teamId = team(List.of(sato));
        String scheduleId = Fixtures.schedule(teamId, "server", "UTC", weekly(sato));
        String policyId = policy("person", sato);
        given().auth().oauth2(admin()).post("/api/people/" + sato + "/archive").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("person 'Sato Archive' is a member of team '" + name("teams", teamId) + "'"))
                .body("detail", containsString("person 'Sato Archive' is a member of layer 'Primary' of schedule '"
                        + name("schedules", scheduleId) + "'"))
                .body("detail", containsString("person 'Sato Archive' is a target of escalation policy '"
                        + name("escalation-policies", policyId) + "' level 1"));
        given().auth().oauth2(admin()).get("/api/people/" + sato).then().body("archivedAt", nullValue());
        // a current override names them too
        String free = person("Free Override");
        String other = Fixtures.schedule(team(List.of(free)), "server", "UTC", weekly(free));
        Instant start = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        String tanaka = person("Taka Cover");
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"personId\":\"%s\",\"replacesPersonId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}"
                        .formatted(tanaka, free, start, start.plus(Duration.ofHours(3))))
                .post("/api/schedules/" + other + "/overrides").then().statusCode(201);
        given().auth().oauth2(admin()).post("/api/people/" + tanaka + "/archive").then().statusCode(409)
                .body("detail", containsString("person 'Taka Cover' is on call through an override of schedule '"
                        + name("schedules", other) + "'"));
    }

    @Test
    void anArchivedPersonIsReadableUnlistedNeverChosenAgainAndCanComeBack() {
        String gone = person("Gone Person");
        given().auth().oauth2(token(KeycloakTokens.SATO)).post("/api/people/" + gone + "/archive").then().statusCode(403);
        given().auth().oauth2(admin()).post("/api/people/" + gone + "/archive").then().statusCode(200)
                .body("archivedAt", notNullValue())
                .body("archivedBy", equalTo("admin"));
        // archiving again changes nothing
        given().auth().oauth2(admin()).post("/api/people/" + gone + "/archive").then().statusCode(200);
        given().auth().oauth2(KeycloakTokens.service()).get("/api/people/" + gone).then().statusCode(200)
                .body("archivedAt", notNullValue());
        given().auth().oauth2(admin()).get("/api/people").then().body("id", not(hasItem(gone)));
        given().auth().oauth2(admin()).queryParam("includeArchived", true).get("/api/people").then().body("id", hasItem(gone));
        JsonNode archived = lastData("toban.oncall.person.updated", gone);
        assertTrue(archived.path("archived").asBoolean());
        assertTrue(archived.path("archivedAt").isTextual());

        // never a new reference: team member, layer participant, policy target, override person
        String live = person("Live Person");
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"%s\",\"timeZone\":\"UTC\",\"memberIds\":[\"%s\",\"%s\"]}".formatted(uniq("T"), live, gone))
                .post("/api/teams").then().statusCode(400).body("errors[0].field", equalTo("memberIds[1]"))
                .body("errors[0].message", equalTo("is an archived person"));
        String teamId = team(List.of(live));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "UTC", weekly(live, gone)))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("layers[0].participantIds[1]"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(policyBody(uniq("P"), "person", gone))
                .post("/api/escalation-policies").then().statusCode(400)
                .body("errors[0].field", equalTo("levels[0].targets[0].id"));
        String scheduleId = Fixtures.schedule(teamId, "server", "UTC", weekly(live));
        Instant start = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"personId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}"
                        .formatted(gone, start, start.plus(Duration.ofHours(1))))
                .post("/api/schedules/" + scheduleId + "/overrides").then().statusCode(400)
                .body("errors[0].field", equalTo("personId"));
        // read-only until unarchived
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"Gone Again\",\"username\":\"%s\",\"timeZone\":\"UTC\",\"locale\":\"en\"}".formatted(uniq("g")))
                .put("/api/people/" + gone).then().statusCode(409);

        given().auth().oauth2(admin()).post("/api/people/" + gone + "/unarchive").then().statusCode(200)
                .body("archivedAt", nullValue());
        assertEquals(false, lastData("toban.oncall.person.updated", gone).path("archived").asBoolean());
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(policyBody(uniq("P"), "person", gone))
                .post("/api/escalation-policies").then().statusCode(201);
    }

    @Test
    void anArchivedScheduleLeavesOnCallFreesItsRoleAndTakesNoNewReferences() {
        String a = person("Sched Archive");
        String teamId = team(List.of(a));
        String scheduleId = Fixtures.schedule(teamId, "server", "UTC", weekly(a));
        String scheduleName = name("schedules", scheduleId);
        String policyId = policy("schedule", scheduleId);
        given().auth().oauth2(admin()).post("/api/schedules/" + scheduleId + "/archive").then().statusCode(409)
                .body("detail", containsString("schedule '" + scheduleName + "' is a target of escalation policy '"
                        + name("escalation-policies", policyId) + "' level 1"));
        // the policy goes first (no service uses it), then the schedule
        given().auth().oauth2(admin()).post("/api/escalation-policies/" + policyId + "/archive").then().statusCode(200);
        given().auth().oauth2(admin()).post("/api/schedules/" + scheduleId + "/archive").then().statusCode(200)
                .body("archivedAt", notNullValue());
        assertTrue(lastData("toban.oncall.schedule.updated", scheduleId).path("archived").asBoolean());
        given().auth().oauth2(admin()).queryParam("teamId", teamId).get("/api/oncall").then().statusCode(200)
                .body("", hasSize(0));
        given().auth().oauth2(admin()).queryParam("teamId", teamId).get("/api/schedules").then().body("", hasSize(0));
        given().auth().oauth2(admin()).queryParam("teamId", teamId).queryParam("includeArchived", "true")
                .get("/api/schedules").then().body("id", equalTo(List.of(scheduleId)));
        // its history stays readable
        given().auth().oauth2(admin()).queryParam("from", "2026-01-05T00:00:00Z").queryParam("to", "2026-01-20T00:00:00Z")
                .get("/api/schedules/" + scheduleId + "/shifts").then().statusCode(200).body("shifts[0].person.id", equalTo(a));

        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(policyBody(uniq("P"), "schedule", scheduleId))
                .post("/api/escalation-policies").then().statusCode(400)
                .body("errors[0].field", equalTo("levels[0].targets[0].id"))
                .body("errors[0].message", equalTo("is an archived schedule"));
        Instant start = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"personId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}"
                        .formatted(a, start, start.plus(Duration.ofHours(1))))
                .post("/api/schedules/" + scheduleId + "/overrides").then().statusCode(409);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"scheduleId\":\"%s\",\"requesterId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}"
                        .formatted(scheduleId, a, start, start.plus(Duration.ofHours(1))))
                .post("/api/cover-requests").then().statusCode(400).body("errors[0].field", equalTo("scheduleId"));

        // the role is free for a new schedule; the old one cannot come back while the new one holds it
        String replacement = Fixtures.schedule(teamId, "server", "UTC", weekly(a));
        given().auth().oauth2(admin()).post("/api/schedules/" + scheduleId + "/unarchive").then().statusCode(409)
                .body("errors[0].field", equalTo("role"));
        given().auth().oauth2(admin()).delete("/api/schedules/" + replacement).then().statusCode(204);
        given().auth().oauth2(admin()).post("/api/schedules/" + scheduleId + "/unarchive").then().statusCode(200)
                .body("archivedAt", nullValue());
        given().auth().oauth2(admin()).queryParam("teamId", teamId).get("/api/oncall").then().statusCode(200)
                .body("[0].schedule.id", equalTo(scheduleId));
        // the policy's schedule is live again, so the policy may come back too
        given().auth().oauth2(admin()).post("/api/escalation-policies/" + policyId + "/unarchive").then().statusCode(200);
    }

    @Test
    void aTeamIsArchivedOnlyOnceNoScheduleAndNoServiceUsesIt() {
        String a = person("Team Archive");
        String teamId = team(List.of(a));
        String teamName = name("teams", teamId);
        String scheduleId = Fixtures.schedule(teamId, "server", "UTC", weekly(a));
        given().auth().oauth2(admin()).post("/api/teams/" + teamId + "/archive").then().statusCode(409)
                .body("detail", containsString("team '" + teamName + "' is the team of schedule '"
                        + name("schedules", scheduleId) + "'"));
        given().auth().oauth2(admin()).post("/api/schedules/" + scheduleId + "/archive").then().statusCode(200);

        // incident-service says a service is owned by the team
        FakeIncidentService.services("owningTeamId", UUID.fromString(teamId), "News API");
        given().auth().oauth2(admin()).post("/api/teams/" + teamId + "/archive").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("team '" + teamName + "' is the owning team of service 'News API'"));
        List<FakeIncidentService.Request> asked = FakeIncidentService.requests("owningTeamId", UUID.fromString(teamId));
        assertEquals(false, asked.isEmpty());
        assertTrue(asked.get(0).authorization().startsWith("Bearer "), "the client-credentials token of toban-service");
        FakeIncidentService.services("owningTeamId", UUID.fromString(teamId));

        given().auth().oauth2(token(KeycloakTokens.SATO)).post("/api/teams/" + teamId + "/archive").then().statusCode(403);
        given().auth().oauth2(admin()).delete("/api/teams/" + teamId).then().statusCode(204);
        given().auth().oauth2(admin()).get("/api/teams/" + teamId).then().statusCode(200).body("archivedAt", notNullValue());
        given().auth().oauth2(admin()).get("/api/teams").then().body("id", not(hasItem(teamId)));
        JsonNode event = lastData("toban.oncall.team.updated", teamId);
        assertTrue(event.path("archived").asBoolean());
        assertEquals(teamName, event.path("name").asText());
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(scheduleBody(teamId, "mobile", "UTC", weekly(a)))
                .post("/api/schedules").then().statusCode(400).body("errors[0].field", equalTo("teamId"));

        // unarchiving needs its members live
        given().auth().oauth2(admin()).post("/api/people/" + a + "/archive").then().statusCode(200);
        given().auth().oauth2(admin()).post("/api/teams/" + teamId + "/unarchive").then().statusCode(409)
                .body("detail", containsString("member 'Team Archive' is archived"));
        given().auth().oauth2(admin()).post("/api/people/" + a + "/unarchive").then().statusCode(200);
        given().auth().oauth2(admin()).post("/api/teams/" + teamId + "/unarchive").then().statusCode(200)
                .body("archivedAt", nullValue());
        assertEquals(false, lastData("toban.oncall.team.updated", teamId).path("archived").asBoolean());
    }

    @Test
    void aPolicyIsArchivedOnlyOnceNoServicePagesThroughIt() {
        String a = person("Policy Archive");
        String policyId = policy("person", a);
        String policyName = name("escalation-policies", policyId);
        FakeIncidentService.services("escalationPolicyId", UUID.fromString(policyId), "Mobile App", "Triage (SOS)");
        given().auth().oauth2(admin()).post("/api/escalation-policies/" + policyId + "/archive").then().statusCode(409)
                .body("detail", containsString("escalation policy '" + policyName
                        + "' is the escalation policy of service 'Mobile App'"))
                .body("detail", containsString("service 'Triage (SOS)'"));
        FakeIncidentService.services("escalationPolicyId", UUID.fromString(policyId));
        given().auth().oauth2(admin()).post("/api/escalation-policies/" + policyId + "/archive").then().statusCode(200)
                .body("archivedAt", notNullValue());
        assertTrue(lastData("toban.oncall.policy.updated", policyId).path("archived").asBoolean());
        given().auth().oauth2(admin()).get("/api/escalation-policies").then().body("id", not(hasItem(policyId)));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(policyBody(policyName, "person", a))
                .put("/api/escalation-policies/" + policyId).then().statusCode(409);
        // a new policy may not take the archived one's name either: unarchive it instead
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(policyBody(policyName, "person", a))
                .post("/api/escalation-policies").then().statusCode(409)
                .body("detail", containsString("unarchive it instead"));
        // its person can now be archived, and then the policy cannot come back without them
        given().auth().oauth2(admin()).post("/api/people/" + a + "/archive").then().statusCode(200);
        given().auth().oauth2(admin()).post("/api/escalation-policies/" + policyId + "/unarchive").then().statusCode(409)
                .body("detail", containsString("level 1 target person 'Policy Archive' is archived"));
    }
}
