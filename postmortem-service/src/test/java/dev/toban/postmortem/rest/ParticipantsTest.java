package dev.toban.postmortem.rest;

import static dev.toban.postmortem.testing.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The organiser adds and removes participants; invitations follow (RFC 5546 add and uninvite). */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class ParticipantsTest {

    static BrokerProbe broker;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST);
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    void addingAndRemovingAfterTheInvitationWentOut() throws Exception {
        String id = Api.open(broker, new TestIncident());
        String uid = as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}").post("/api/postmortems/" + id + "/decision")
                .then().statusCode(200).extract().path("meeting.uid");
        String guest = "guest+" + UUID.randomUUID().toString().substring(0, 8) + "@toban.example";

        String participantId = as(KeycloakTokens.SATO).body("{\"email\":\"" + guest + "\",\"name\":\"Guest Engineer\"}")
                .post("/api/postmortems/" + id + "/participants").then().statusCode(201)
                .body("source", equalTo("added")).body("email", equalTo(guest)).extract().path("id");
        await().atMost(Duration.ofSeconds(40)).until(() -> GreenMailResource.forUid(uid).stream().anyMatch(m -> guest.equals(m.to())));
        String invitation = GreenMailResource.forUid(uid).stream().filter(m -> guest.equals(m.to())).findFirst().orElseThrow().ics();
        VEvent event = (VEvent) parse(invitation).getComponent("VEVENT").orElseThrow();
        assertEquals("0", event.getProperty(Property.SEQUENCE).orElseThrow().getValue(), "adding an attendee keeps SEQUENCE");
        assertEquals(3, event.getProperties(Property.ATTENDEE).size(), "the full attendee list");
        as(KeycloakTokens.ADMIN).get("/api/postmortems/" + id).then().body("meeting.attendees.email", hasItem(guest));

        as(KeycloakTokens.SATO).delete("/api/postmortems/" + id + "/participants/" + participantId).then().statusCode(204);
        await().atMost(Duration.ofSeconds(40)).until(() -> GreenMailResource.forUid(uid).stream()
                .anyMatch(m -> guest.equals(m.to()) && m.ics().contains("METHOD:CANCEL")));
        String cancel = GreenMailResource.forUid(uid).stream()
                .filter(m -> guest.equals(m.to()) && m.ics().contains("METHOD:CANCEL")).findFirst().orElseThrow().ics();
        VEvent cancelled = (VEvent) parse(cancel).getComponent("VEVENT").orElseThrow();
        assertEquals(List.of("mailto:" + guest), cancelled.getProperties(Property.ATTENDEE).stream().map(Property::getValue).toList(),
                "an uninvite lists only the removed attendee");
        // the others got nothing new
        assertEquals(0, GreenMailResource.forUid(uid).stream().filter(m -> !guest.equals(m.to()) && m.ics().contains("METHOD:CANCEL")).count());
        as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/participants").then().statusCode(200)
                .body("find { it.id == '" + participantId + "' }.removed", equalTo(true));
        // adding them back works
        as(KeycloakTokens.SATO).body("{\"email\":\"" + guest.toUpperCase() + "\"}")
                .post("/api/postmortems/" + id + "/participants").then().statusCode(201).body("id", equalTo(participantId));
    }

    @Test
    void badParticipantsAreRejected() {
        TestIncident incident = new TestIncident();
        String id = Api.open(broker, incident);
        String path = "/api/postmortems/" + id + "/participants";
        int before = as(KeycloakTokens.SATO).get(path).then().extract().path("size()");

        as(KeycloakTokens.SATO).body("{\"email\":\"not-an-address\"}").post(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("email"));
        as(KeycloakTokens.SATO).body("{}").post(path).then().statusCode(400).body("errors.field", hasItem("email"));
        as(KeycloakTokens.SATO).body("{\"email\":\"a@toban.example\",\"personId\":\"" + UUID.randomUUID() + "\"}").post(path)
                .then().statusCode(400).body("errors.field", hasItem("personId"));
        as(KeycloakTokens.SATO).body("{\"personId\":\"not-a-uuid\"}").post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("personId"));
        as(KeycloakTokens.SATO).body("{\"email\":\"" + incident.commander.email() + "\"}").post(path).then().statusCode(409)
                .body("errors[0].field", equalTo("email"));
        // an id that does not resolve: oncall-service is not running in this test, so it cannot say; 503 names the field
        as(KeycloakTokens.SATO).body("{\"personId\":\"" + UUID.randomUUID() + "\"}").post(path).then().statusCode(503)
                .body("errors[0].field", equalTo("personId"));
        // unknown participant ids
        as(KeycloakTokens.SATO).delete(path + "/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("errors[0].field", equalTo("participantId"));
        String commanderId = as(KeycloakTokens.SATO).get(path).then().extract().path("find { it.source == 'commander' }.id");
        as(KeycloakTokens.SATO).delete(path + "/" + commanderId).then().statusCode(409);
        // only the organiser or an admin
        as(KeycloakTokens.SUZUKI).body("{\"email\":\"x@toban.example\"}").post(path).then().statusCode(403);
        as(KeycloakTokens.YAMADA).body("{\"email\":\"x@toban.example\"}").post(path).then().statusCode(403);

        int after = as(KeycloakTokens.SATO).get(path).then().extract().path("size()");
        assertEquals(before, after, "nothing was saved");
    }

    @Test
    void aPersonOfTheIncidentCanBeAddedBackByTheirId() {
        TestIncident.Person responder = TestIncident.someone("suzuki");
        TestIncident incident = new TestIncident().responders(responder);
        String id = Api.open(broker, incident);
        String path = "/api/postmortems/" + id + "/participants";
        String participantId = as(KeycloakTokens.ADMIN).get(path).then().extract().path("find { it.source == 'responder' }.id");
        as(KeycloakTokens.ADMIN).delete(path + "/" + participantId).then().statusCode(204);
        as(KeycloakTokens.ADMIN).body("{\"personId\":\"" + responder.id() + "\"}").post(path).then().statusCode(201)
                .body("id", equalTo(participantId)).body("email", equalTo(responder.email()));
        assertTrue(as(KeycloakTokens.ADMIN).get(path).then().extract().jsonPath().getList("removed").stream().noneMatch(Boolean.TRUE::equals));
    }

    static Calendar parse(String ics) throws Exception {
        return new CalendarBuilder().build(new StringReader(ics));
    }
}
