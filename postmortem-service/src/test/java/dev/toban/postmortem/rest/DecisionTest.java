package dev.toban.postmortem.rest;

import static dev.toban.postmortem.testing.Api.as;
import static dev.toban.postmortem.testing.Api.awaitEvent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The IC's hold/skip decision, the states after it, who may do what, and bad input. */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class DecisionTest {

    static BrokerProbe broker;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.#");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    static String tokyo(Instant instant) {
        return ZonedDateTime.ofInstant(instant, Api.TOKYO).toOffsetDateTime().toString();
    }

    @Test
    void skippingNeedsAReason() {
        String id = Api.open(broker, new TestIncident().severity("SEV3"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"skip\"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("reason"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"skip\",\"reason\":\"   \"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"maybe\"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(400).body("errors[0].field", equalTo("decision"))
                .body("errors[0].message", containsString("hold"));
        as(KeycloakTokens.SATO).body("{}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(400).body("errors.field", hasItem("decision"));
        assertEquals("pending_decision", Api.get(id).getString("state"));

        as(KeycloakTokens.SATO).body("{\"decision\":\"skip\",\"reason\":\"Known upstream blip, no action\"}")
                .post("/api/postmortems/" + id + "/decision").then().statusCode(200)
                .body("state", equalTo("skipped")).body("decision", equalTo("skip"))
                .body("skipReason", equalTo("Known upstream blip, no action"));
        JsonNode skipped = awaitEvent(broker, "toban.postmortem.skipped", id);
        assertEquals("Known upstream blip, no action", skipped.at("/data/reason").asText());
        assertEquals("skip", awaitEvent(broker, "toban.postmortem.decided", id).at("/data/decision").asText());
    }

    @Test
    void aRequiredPostmortemCanOnlyBeSkippedByAnAdmin() {
        String id = Api.open(broker, new TestIncident().severity("SEV1"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"skip\",\"reason\":\"busy\"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(403).contentType("application/problem+json");
        assertEquals("pending_decision", Api.get(id).getString("state"));
        as(KeycloakTokens.ADMIN).body("{\"decision\":\"skip\",\"reason\":\"Duplicate of incident 41's postmortem\"}")
                .post("/api/postmortems/" + id + "/decision").then().statusCode(200).body("state", equalTo("skipped"))
                .body("decidedBy", equalTo("admin"));
    }

    @Test
    void onlyTheCommanderOrAnAdminDecides() {
        String id = Api.open(broker, new TestIncident().severity("SEV3").responders(TestIncident.someone("suzuki")));
        String skip = "{\"decision\":\"skip\",\"reason\":\"x\"}";
        as(KeycloakTokens.SUZUKI).body(skip).post("/api/postmortems/" + id + "/decision").then().statusCode(403);
        as(KeycloakTokens.TANAKA).body(skip).post("/api/postmortems/" + id + "/decision").then().statusCode(403);
        as(KeycloakTokens.YAMADA).body(skip).post("/api/postmortems/" + id + "/decision").then().statusCode(403);
        io.restassured.RestAssured.given().contentType("application/json").body(skip)
                .post("/api/postmortems/" + id + "/decision").then().statusCode(401);
        assertEquals("pending_decision", Api.get(id).getString("state"));
    }

    @Test
    void theSlackAppDecidesOnBehalfOfTheIcAndOnlyForThem() {
        String id = Api.open(broker, new TestIncident().severity("SEV3"));
        String path = "/api/postmortems/" + id + "/decision";
        String skipFor = "{\"decision\":\"skip\",\"reason\":\"known cause\","
                + "\"onBehalfOf\":{\"username\":\"%s\",\"name\":\"%s\",\"roles\":%s}}";
        // Toban's service token decides nothing by itself
        asService().body("{\"decision\":\"skip\",\"reason\":\"x\"}").post(path).then().statusCode(403);
        // for someone who is not the IC, or who is no responder: refused as their own call would be
        asService().body(skipFor.formatted("suzuki", "Ichiro Suzuki", "[\"viewer\",\"responder\"]")).post(path)
                .then().statusCode(403);
        // (a viewer's own call does not see an unpublished postmortem at all)
        asService().body(skipFor.formatted("sato", "Hanako Sato", "[\"viewer\"]")).post(path).then().statusCode(404);
        // a person cannot speak for someone else
        as(KeycloakTokens.SATO).body(skipFor.formatted("admin", "Admin", "[\"viewer\",\"responder\",\"admin\"]"))
                .post(path).then().statusCode(403);
        assertEquals("pending_decision", Api.get(id).getString("state"));
        // for the IC: recorded as the IC
        asService().body(skipFor.formatted("sato", "Hanako Sato", "[\"viewer\",\"responder\"]")).post(path)
                .then().statusCode(200).body("state", equalTo("skipped"));
        assertEquals("sato", awaitEvent(broker, "toban.postmortem.decided", id).at("/data/actor/username").asText());
    }

    private static io.restassured.specification.RequestSpecification asService() {
        return io.restassured.RestAssured.given().auth().oauth2(KeycloakTokens.service()).contentType("application/json");
    }

    @Test
    void viewersSeeOnlyPublishedPostmortems() {
        TestIncident incident = new TestIncident().severity("SEV3");
        String id = Api.open(broker, incident);
        as(KeycloakTokens.YAMADA).get("/api/postmortems/" + id).then().statusCode(404);
        as(KeycloakTokens.YAMADA).get("/api/postmortems/" + id + "/document.md").then().statusCode(404);
        as(KeycloakTokens.YAMADA).get("/api/postmortems").then().statusCode(200).body("id", not(hasItem(id)));
        as(KeycloakTokens.TANAKA).get("/api/postmortems/" + id).then().statusCode(200)
                .body("permissions.edit", equalTo(false)).body("permissions.organise", equalTo(false));

        Instant start = Api.businessDayAt(3, LocalTime.of(11, 0));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"" + tokyo(start) + "\",\"durationMinutes\":45}")
                .post("/api/postmortems/" + id + "/decision").then().statusCode(200)
                .body("meeting.start", equalTo(start.toString()))
                .body("meeting.end", equalTo(start.plusSeconds(45 * 60).toString()));
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/publish").then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("state"));
        Api.meetingStarted(id);
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/held").then().statusCode(200).body("state", equalTo("held"));
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/held").then().statusCode(409);
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/publish").then().statusCode(200).body("state", equalTo("published"));

        JsonNode published = awaitEvent(broker, "toban.postmortem.published", id);
        assertTrue(published.at("/data/markdownUrl").asText().endsWith("/ui/postmortems/" + id + "/document.md"));
        awaitEvent(broker, "toban.postmortem.held", id);
        as(KeycloakTokens.YAMADA).get("/api/postmortems/" + id).then().statusCode(200).body("state", equalTo("published"));
        as(KeycloakTokens.YAMADA).get("/api/postmortems").then().statusCode(200).body("id", hasItem(id));
        as(KeycloakTokens.YAMADA).get("/api/postmortems/" + id + "/document.md").then().statusCode(200);
        // a published postmortem cannot be decided again
        as(KeycloakTokens.ADMIN).body("{\"decision\":\"skip\",\"reason\":\"x\"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(409);
    }

    @Test
    void badSlotsAre400sThatNameStartAndSaveNothing() {
        String id = Api.open(broker, new TestIncident());
        int mailsBefore = GreenMailResource.received().size();
        String path = "/api/postmortems/" + id + "/decision";
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"" + tokyo(Instant.now().minusSeconds(3600)) + "\"}")
                .post(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("start")).body("errors[0].message", equalTo("is in the past"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"" + tokyo(Api.businessDayAt(2, LocalTime.of(8, 0))) + "\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("start"))
                .body("errors[0].message", containsString("outside working hours (10:00-18:00 Asia/Tokyo)"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"" + tokyo(Api.businessDayAt(2, LocalTime.of(17, 30))) + "\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("start"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"" + tokyo(Api.saturdayAt11()) + "\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("start"))
                .body("errors[0].message", containsString("saturday"));
        // 2027-01-01, 元日, a Friday
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"2027-01-01T11:00:00+09:00\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("start"))
                .body("errors[0].message", containsString("元日"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"2026-02-30T11:00:00+09:00\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("start"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"tomorrow at ten\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("start"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"durationMinutes\":5}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("durationMinutes"));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"2035-01-09T11:00:00+09:00\"}")
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("start"));

        assertEquals("pending_decision", Api.get(id).getString("state"));
        assertTrue(Api.get(id).get("meeting") == null);
        assertEquals(mailsBefore, GreenMailResource.received().size(), "no invitation was queued");
        assertTrue(Api.events(broker, "toban.postmortem.decided", id).isEmpty());
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}").post(path).then().statusCode(200);
    }

    @Test
    void aMeetingNeverDoubleBooksAParticipant() {
        TestIncident.Person ic = TestIncident.satoAlone();
        String first = Api.open(broker, new TestIncident().commander(ic));
        String second = Api.open(broker, new TestIncident().commander(ic));
        Instant proposed = Instant.parse(as(KeycloakTokens.SATO).get("/api/postmortems/" + first + "/proposal")
                .then().statusCode(200).body("timeZone", equalTo("Asia/Tokyo")).extract().path("start"));
        String start = as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}").post("/api/postmortems/" + first + "/decision")
                .then().statusCode(200).extract().path("meeting.start");
        assertEquals(proposed.toString(), start);

        // the same IC is busy then: an explicit start that overlaps is a 409 naming start
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"" + tokyo(Instant.parse(start).plusSeconds(1800)) + "\"}")
                .post("/api/postmortems/" + second + "/decision").then().statusCode(409)
                .body("errors[0].field", equalTo("start")).body("errors[0].message", containsString("overlaps"));
        // and the proposal moves past the first meeting
        as(KeycloakTokens.SATO).get("/api/postmortems/" + second + "/proposal").then().statusCode(200)
                .body("busy[0].start", equalTo(start));
        String secondStart = as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}")
                .post("/api/postmortems/" + second + "/decision").then().statusCode(200).extract().path("meeting.start");
        assertNotEquals(start, secondStart);
        assertTrue(!Instant.parse(secondStart).isBefore(Instant.parse(start).plusSeconds(3600)));
    }

    @Test
    void holdingTwiceOrReschedulingWithoutAMeetingIsAConflict() {
        String id = Api.open(broker, new TestIncident());
        as(KeycloakTokens.SATO).body("{\"start\":\"" + tokyo(Api.businessDayAt(2, LocalTime.of(15, 0))) + "\"}")
                .put("/api/postmortems/" + id + "/meeting").then().statusCode(409).contentType("application/problem+json");
        as(KeycloakTokens.SATO).delete("/api/postmortems/" + id + "/meeting").then().statusCode(409);
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}").post("/api/postmortems/" + id + "/decision").then().statusCode(200);
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}").post("/api/postmortems/" + id + "/decision").then().statusCode(409);
        as(KeycloakTokens.SATO).body("{}").put("/api/postmortems/" + id + "/meeting").then().statusCode(400)
                .body("errors[0].field", equalTo("start"));
        as(KeycloakTokens.SUZUKI).body("{\"start\":\"" + tokyo(Api.businessDayAt(2, LocalTime.of(15, 0))) + "\"}")
                .put("/api/postmortems/" + id + "/meeting").then().statusCode(403);
        as(KeycloakTokens.ADMIN).get("/api/postmortems/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        as(KeycloakTokens.ADMIN).queryParam("state", "sleeping").get("/api/postmortems").then().statusCode(400)
                .body("errors[0].field", equalTo("state"));
        as(KeycloakTokens.ADMIN).queryParam("incidentId", "42").get("/api/postmortems").then().statusCode(400)
                .body("errors[0].field", equalTo("incidentId"));
        as(KeycloakTokens.ADMIN).queryParam("limit", "0").get("/api/postmortems").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
    }

    @Test
    void skippingAScheduledPostmortemCancelsItsMeeting() {
        String id = Api.open(broker, new TestIncident().severity("SEV4"));
        String uid = as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(200).extract().path("meeting.uid");
        as(KeycloakTokens.SATO).body("{\"decision\":\"skip\",\"reason\":\"Root cause was already fixed upstream\"}")
                .post("/api/postmortems/" + id + "/decision").then().statusCode(200).body("state", equalTo("skipped"))
                .body("meeting", equalTo(null));
        JsonNode cancelled = awaitEvent(broker, "toban.postmortem.cancelled", id);
        assertEquals(uid, cancelled.at("/data/meeting/uid").asText());
        assertEquals("skipped", cancelled.at("/data/postmortem/state").asText());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(40)).until(() ->
                GreenMailResource.forUid(uid).stream().anyMatch(m -> m.ics().contains("METHOD:CANCEL")));
    }
}
