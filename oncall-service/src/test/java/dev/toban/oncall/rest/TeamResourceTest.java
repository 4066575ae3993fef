package dev.toban.oncall.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TeamResourceTest {

    static BrokerProbe broker;

    @BeforeAll
    static void watchEvents() {
        broker = new BrokerProbe("toban_test_oncall").watch("toban.oncall", "toban.oncall.team.*");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    private static String team(String name) {
        return "{\"name\":\"" + name + "\",\"slackChannel\":\"#team-server\",\"timeZone\":\"Asia/Tokyo\"}";
    }

    @Test
    void requestWithoutTokenIsUnauthorized() {
        given().get("/api/teams").then().statusCode(401);
        given().contentType(ContentType.JSON).body(team("NoToken")).post("/api/teams").then().statusCode(401);
    }

    @Test
    void viewerReadsButCannotWrite() {
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/teams").then().statusCode(200);
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).contentType(ContentType.JSON)
                .body(team("ViewerTeam")).post("/api/teams")
                .then().statusCode(403);
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.ADMIN)).get("/api/teams")
                .then().body("name", org.hamcrest.Matchers.not(hasItem("ViewerTeam")));
    }

    @Test
    void adminCreatesTeamAndTheEventLeavesThroughTheOutbox() {
        String name = "Server-" + UUID.randomUUID();
        String id = given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.ADMIN)).contentType(ContentType.JSON)
                .body(team(name)).post("/api/teams")
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("timeZone", equalTo("Asia/Tokyo"))
                .extract().path("id");

        await().atMost(Duration.ofSeconds(10)).until(() -> !eventsFor(id).isEmpty());
        JsonNode event = eventsFor(id).get(0);
        assertEquals("1.0", event.path("specversion").asText());
        assertEquals("toban.oncall.team.created", event.path("type").asText());
        assertEquals("/toban/oncall-service", event.path("source").asText());
        assertEquals(id, event.path("subject").asText());
        assertEquals("application/json", event.path("datacontenttype").asText());
        assertEquals(name, event.path("data").path("name").asText());
        assertEquals(false, event.path("id").asText().isBlank());
    }

    @Test
    void theWarRoomIsSetKeptByOlderClientsRemovedWhenBlankRefusedWhenNotAUrlAndCarriedInTheEvent() {
        String admin = KeycloakTokens.of(KeycloakTokens.ADMIN);
        String name = "Room-" + UUID.randomUUID();
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"timeZone\":\"Asia/Tokyo\",\"warRoomUrl\":\"https://meet.google.com/abc-defg-hij\"}")
                .post("/api/teams").then().statusCode(201)
                .body("warRoomUrl", equalTo("https://meet.google.com/abc-defg-hij")).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> !eventsFor(id).isEmpty());
        assertEquals("https://meet.google.com/abc-defg-hij", eventsFor(id).get(0).path("data").path("warRoomUrl").asText());
        // a client that does not know the field keeps the room
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(team(name)).put("/api/teams/" + id)
                .then().statusCode(200).body("warRoomUrl", equalTo("https://meet.google.com/abc-defg-hij"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"timeZone\":\"Asia/Tokyo\",\"warRoomUrl\":\"javascript:alert(1)\"}")
                .put("/api/teams/" + id).then().statusCode(400).body("errors[0].field", equalTo("warRoomUrl"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"timeZone\":\"Asia/Tokyo\",\"warRoomUrl\":\"\"}")
                .put("/api/teams/" + id).then().statusCode(200).body("warRoomUrl", org.hamcrest.Matchers.nullValue());
        // the updates in order: the room kept (version 1), then removed (version 2)
        await().atMost(Duration.ofSeconds(10)).until(() -> updates(id).size() >= 2);
        assertEquals("https://meet.google.com/abc-defg-hij", updates(id).get(0).path("data").path("warRoomUrl").asText());
        assertEquals(true, updates(id).get(1).path("data").path("warRoomUrl").isNull());
    }

    @Test
    void responderCannotCreateTeams() {
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.SATO)).contentType(ContentType.JSON)
                .body(team("ResponderTeam")).post("/api/teams")
                .then().statusCode(403);
    }

    @Test
    void badInputIsAProblemThatNamesTheFieldAndSavesNothing() {
        String admin = KeycloakTokens.of(KeycloakTokens.ADMIN);
        int before = given().auth().oauth2(admin).get("/api/teams").then().extract().path("size()");

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"Mars\",\"timeZone\":\"Mars/Olympus_Mons\"}").post("/api/teams")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors[0].field", equalTo("timeZone"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"timeZone\":\"UTC\"}").post("/api/teams")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("name"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": [1], \"timeZone\":\"UTC\"}").post("/api/teams")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Trunc").post("/api/teams")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("is not well-formed JSON"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\" \"x\"}").post("/api/teams")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("is not well-formed JSON"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .post("/api/teams")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"));

        int after = given().auth().oauth2(admin).get("/api/teams").then().extract().path("size()");
        assertEquals(before, after);
    }

    @Test
    void membersAreReturnedAsPersonRefsAndCarriedInTheEvent() {
        String admin = KeycloakTokens.of(KeycloakTokens.ADMIN);
        String a = dev.toban.oncall.testing.Fixtures.person("Lina Member");
        String b = dev.toban.oncall.testing.Fixtures.person("Mio Member");
        String id = dev.toban.oncall.testing.Fixtures.team(List.of(a, b));
        given().auth().oauth2(KeycloakTokens.service()).get("/api/teams/" + id).then().statusCode(200)
                .body("members.id", equalTo(List.of(a, b)))
                .body("members[0].name", equalTo("Lina Member"))
                .body("version", equalTo(0));
        String rename = "{\"name\":\"" + UUID.randomUUID() + "\",\"slackChannel\":\"#x\",\"timeZone\":\"UTC\"}";
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(rename).put("/api/teams/" + id)
                .then().statusCode(200).body("memberIds", equalTo(List.of(a, b))).body("version", equalTo(1));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(rename.replace("}", ",\"memberIds\":[\"" + b + "\",\"" + UUID.randomUUID() + "\"]}"))
                .put("/api/teams/" + id).then().statusCode(400).body("errors[0].field", equalTo("memberIds[1]"));
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.team.updated").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
        JsonNode data = broker.received("toban.oncall.team.updated").stream()
                .filter(e -> id.equals(e.path("subject").asText())).findFirst().orElseThrow().path("data");
        assertEquals(a, data.path("memberIds").get(0).asText());
        assertEquals(1, data.path("version").asLong());
        assertEquals(false, data.path("updatedAt").isMissingNode());
    }

    @Test
    void duplicateNameIsAConflict() {
        String admin = KeycloakTokens.of(KeycloakTokens.ADMIN);
        String name = "Mobile-" + UUID.randomUUID();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(team(name)).post("/api/teams")
                .then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(team(name.toUpperCase())).post("/api/teams")
                .then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
    }

    private static List<JsonNode> updates(String subject) {
        return broker.received("toban.oncall.team.updated").stream()
                .filter(e -> subject.equals(e.path("subject").asText()))
                .sorted(java.util.Comparator.comparingLong(e -> e.path("data").path("version").asLong()))
                .toList();
    }

    private static List<JsonNode> eventsFor(String subject) {
        return broker.received("toban.oncall.team.created").stream()
                .filter(e -> subject.equals(e.path("subject").asText()))
                .toList();
    }
}
