package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.person;
import static dev.toban.oncall.testing.Fixtures.scheduleBody;
import static dev.toban.oncall.testing.Fixtures.team;
import static dev.toban.oncall.testing.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScheduleResourceTest {

    static BrokerProbe broker;

    @BeforeAll
    static void watch() {
        broker = new BrokerProbe("toban_test_oncall").watch("toban.oncall", "toban.oncall.schedule.*");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    void aSchedulesShiftsKeepTheirBerlinWallClockAcrossDstWithProvenance() {
        String a = person("Anna Berlin");
        String b = person("Ben Berlin");
        String c = person("Carla Berlin");
        String teamId = team(List.of(a, b, c));
        String id = Fixtures.schedule(teamId, "server", "Europe/Berlin",
                layer("Daily", 1, List.of(a, b, c), 1, 1, "DAYS", "09:00", "2026-03-27", null));

        JsonPath shifts = given().auth().oauth2(token(KeycloakTokens.YAMADA))
                .queryParam("from", "2026-03-27T08:00:00Z").queryParam("to", "2026-03-31T07:00:00Z")
                .get("/api/schedules/" + id + "/shifts").then().statusCode(200)
                .body("schedule.id", equalTo(id))
                .body("shifts", hasSize(4))
                .extract().jsonPath();
        assertEquals(List.of("2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"),
                shifts.getList("shifts.start"));
        assertEquals(List.of("2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z", "2026-03-31T07:00:00Z"),
                shifts.getList("shifts.end"));
        assertEquals(List.of(a, b, c, a), shifts.getList("shifts.person.id"));
        assertEquals("layer", shifts.getString("shifts[0].source"));
        assertEquals("Daily", shifts.getString("shifts[0].layerName"));

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.schedule.created").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())
                        && "server".equals(e.path("data").path("role").asText())
                        && teamId.equals(e.path("data").path("teamId").asText())));
    }

    @Test
    void updatingKeepsLayerIdsAndPublishesAnUpdate() {
        String a = person("Dora Update");
        String b = person("Emil Update");
        String teamId = team(List.of(a, b));
        String id = Fixtures.schedule(teamId, "mobile", "Asia/Tokyo",
                layer("Weekly", 1, List.of(a, b), 1, 1, "WEEKS", "10:00", "2026-01-05", null));
        String layerId = given().auth().oauth2(admin()).get("/api/schedules/" + id).then().extract().path("layers[0].id");
        String updated = scheduleBody(teamId, "mobile", "Asia/Tokyo",
                layer("Weekly", 1, List.of(b, a), 1, 1, "WEEKS", "10:00", "2026-01-05", null)
                        .replaceFirst("\\{", "{\"id\":\"" + layerId + "\","),
                layer("Office", 2, List.of(a), 1, 1, "DAYS", "10:00", "2026-01-05",
                        "[{\"daysOfWeek\":[\"MONDAY\",\"TUESDAY\",\"WEDNESDAY\",\"THURSDAY\",\"FRIDAY\"],"
                                + "\"start\":\"10:00\",\"end\":\"19:00\"}]"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(updated).put("/api/schedules/" + id)
                .then().statusCode(200)
                .body("layers[0].id", equalTo(layerId))
                .body("layers[0].participantIds[0]", equalTo(b))
                .body("layers[1].restrictions[0].start", equalTo("10:00:00"))
                .body("version", equalTo(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.schedule.updated").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
        // Saturday: only the weekly layer; Monday noon: the office layer wins
        given().auth().oauth2(admin()).queryParam("teamId", teamId).queryParam("role", "mobile")
                .queryParam("at", "2026-01-10T03:00:00Z").get("/api/oncall")
                .then().statusCode(200).body("[0].onCall[0].person.id", equalTo(b));
        given().auth().oauth2(admin()).queryParam("teamId", teamId).queryParam("role", "mobile")
                .queryParam("at", "2026-01-12T03:00:00Z").get("/api/oncall")
                .then().statusCode(200).body("[0].onCall[0].person.id", equalTo(a))
                .body("[0].onCall[0].source", equalTo("layer"))
                // a stays on call after the office layer closes (the weekly layer has a that week too): one run
                .body("[0].onCall[0].until", equalTo("2026-01-19T10:00:00Z"));
    }

    @Test
    void badSchedulesAreRejectedNamingTheFieldAndNothingIsSaved() {
        String a = person("Fumi Bad");
        String teamId = team(List.of(a));
        int before = given().auth().oauth2(admin()).get("/api/schedules").then().extract().path("size()");
        String good = layer("L", 1, List.of(a), 1, 1, "WEEKS", "10:00", "2026-01-05", null);

        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Mars/Base", good)).post("/api/schedules")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("timeZone"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo",
                        layer("Empty", 1, List.of(), 1, 1, "WEEKS", "10:00", "2026-01-05", null)))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("layers[0].participantIds"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo",
                        layer("Ghost", 1, List.of(a, UUID.randomUUID().toString()), 1, 1, "WEEKS", "10:00", "2026-01-05", null)))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("layers[0].participantIds[1]"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo", good.replace("\"WEEKS\"", "\"MONTHS\"")))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("layers[0].shiftLength.unit"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo", good, good))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("layers[1].level"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo",
                        layer("Two", 1, List.of(a), 2, 1, "WEEKS", "10:00", "2026-01-05", null)))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("layers[0].slots"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo").replace("\"layers\":[]", "\"layers\":[]"))
                .post("/api/schedules").then().statusCode(400)
                .body("errors.field", hasItem("layers"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(UUID.randomUUID().toString(), "server", "Asia/Tokyo", good))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("teamId"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo", good.replace("10:00", "25:00")))
                .post("/api/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("layers[0].handoffTime"));
        // a second schedule for the same team and role is a conflict
        Fixtures.schedule(teamId, "server", "Asia/Tokyo", good);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "Server", "Asia/Tokyo", good)).post("/api/schedules")
                .then().statusCode(400).body("errors[0].field", equalTo("role"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "Asia/Tokyo", good)).post("/api/schedules")
                .then().statusCode(409).body("errors[0].field", equalTo("role"));

        int after = given().auth().oauth2(admin()).get("/api/schedules").then().extract().path("size()");
        assertEquals(before + 1, after);
    }

    @Test
    void shiftRangesAreChecked() {
        String a = person("Gen Range");
        String id = Fixtures.schedule(team(List.of(a)), "server", "Asia/Tokyo",
                layer("L", 1, List.of(a), 1, 1, "WEEKS", "10:00", "2026-01-05", null));
        given().auth().oauth2(admin()).queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .get("/api/schedules/" + id + "/shifts").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().auth().oauth2(admin()).queryParam("from", "yesterday")
                .get("/api/schedules/" + id + "/shifts").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().auth().oauth2(admin()).queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2027-06-01T00:00:00Z")
                .get("/api/schedules/" + id + "/shifts").then().statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void onlyAdminsChangeSchedulesAndDeletionArchivesThem() {
        String a = person("Hana Delete");
        String teamId = team(List.of(a));
        String body = scheduleBody(teamId, "server", "Asia/Tokyo",
                layer("L", 1, List.of(a), 1, 1, "WEEKS", "10:00", "2026-01-05", null));
        given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON).body(body)
                .post("/api/schedules").then().statusCode(403);
        String id = Fixtures.schedule(teamId, "server", "Asia/Tokyo",
                layer("L", 1, List.of(a), 1, 1, "WEEKS", "10:00", "2026-01-05", null));
        given().auth().oauth2(token(KeycloakTokens.SATO)).delete("/api/schedules/" + id).then().statusCode(403);
        given().auth().oauth2(admin()).delete("/api/schedules/" + id).then().statusCode(204);
        given().auth().oauth2(admin()).get("/api/schedules/" + id).then().statusCode(200)
                .body("archivedAt", org.hamcrest.Matchers.notNullValue());
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.schedule.updated").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText()) && e.path("data").path("archived").asBoolean()));
        given().auth().oauth2(admin()).queryParam("teamId", teamId).get("/api/oncall").then().statusCode(200)
                .body("", hasSize(0));
    }

    @Test
    void aOnePersonRotationHasNoNextHandoff() {
        String a = person("Ichi Alone");
        String teamId = team(List.of(a));
        Fixtures.schedule(teamId, "solo", "Asia/Tokyo",
                layer("L", 1, List.of(a), 1, 1, "WEEKS", "10:00", "2026-01-05", null));
        given().auth().oauth2(admin()).queryParam("teamId", teamId).queryParam("at", "2026-03-01T00:00:00Z")
                .get("/api/oncall").then().statusCode(200)
                .body("[0].onCall[0].person.id", equalTo(a))
                .body("[0].onCall[0].since", equalTo("2026-01-05T01:00:00Z"))
                .body("[0].nextHandoff", nullValue());
    }
}
