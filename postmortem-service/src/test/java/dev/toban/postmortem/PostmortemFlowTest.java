package dev.toban.postmortem;

import static dev.toban.postmortem.testing.Api.as;
import static dev.toban.postmortem.testing.Api.awaitEvent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.GreenMailResource.Received;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole way: a toban.incident.resolved event on the real RabbitMQ opens the postmortem; the
 * IC decides to hold it; the invitation reaches a real SMTP server (GreenMail) as an RFC 5546
 * METHOD:REQUEST; a reschedule raises SEQUENCE under the same UID; a cancellation is METHOD:CANCEL.
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class PostmortemFlowTest {

    static BrokerProbe broker;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST).watch("toban.postmortem", "toban.postmortem.#");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    static Calendar parse(String ics) throws Exception {
        return new CalendarBuilder().build(new StringReader(ics));
    }

    static VEvent event(Calendar calendar) {
        return (VEvent) calendar.getComponent("VEVENT").orElseThrow();
    }

    static List<Received> mails(String uid, String method, int sequence) {
        return GreenMailResource.forUid(uid).stream()
                .filter(m -> m.ics().contains("METHOD:" + method) && m.ics().contains("SEQUENCE:" + sequence + "\r\n"))
                .toList();
    }

    @Test
    void fromAResolvedIncidentToAnInvitationAReschedulingAndACancellation() throws Exception {
        TestIncident incident = new TestIncident()
                .liaison(TestIncident.someone("tanaka"))
                .responders(TestIncident.someone("suzuki"));
        Set<String> invited = Set.of("mailto:" + incident.commander.email(), "mailto:" + incident.liaison.email(),
                "mailto:" + incident.responders.get(0).email());

        String id = Api.open(broker, incident);
        JsonNode opened = awaitEvent(broker, "toban.postmortem.opened", id);
        assertEquals("pending_decision", opened.at("/data/postmortem/state").asText());
        assertEquals(true, opened.at("/data/postmortem/required").asBoolean(), "SEV2 is required by default policy");
        assertEquals(incident.id.toString(), opened.at("/data/postmortem/incidentId").asText());
        assertEquals("1732529730.000100", opened.at("/data/postmortem/slackThread/ts").asText());
        assertEquals("Postmortem: " + incident.title, opened.at("/data/postmortem/title").asText());
        assertEquals("system", opened.at("/data/actor/username").asText());

        // the IC holds it; Toban proposes the first free slot and invites everyone
        JsonPath scheduled = as(KeycloakTokens.SATO).body("{\"decision\":\"hold\"}")
                .post("/api/postmortems/" + id + "/decision").then().statusCode(200).extract().jsonPath();
        assertEquals("scheduled", scheduled.getString("state"));
        assertEquals("hold", scheduled.getString("decision"));
        String uid = scheduled.getString("meeting.uid");
        Instant start = Instant.parse(scheduled.getString("meeting.start"));
        assertEquals(0, scheduled.getInt("meeting.sequence"));
        assertEquals("Asia/Tokyo", scheduled.getString("meeting.timeZone"));
        LocalTime local = start.atZone(ZoneId.of("Asia/Tokyo")).toLocalTime();
        assertTrue(!local.isBefore(LocalTime.of(10, 0)) && !local.isAfter(LocalTime.of(17, 0)), "inside working hours: " + local);
        assertTrue(start.isAfter(Instant.now()));

        await().atMost(Duration.ofSeconds(40)).until(() -> mails(uid, "REQUEST", 0).size() == 3);
        List<Received> invitations = mails(uid, "REQUEST", 0);
        assertEquals(Set.of(incident.commander.email(), incident.liaison.email(), incident.responders.get(0).email()),
                invitations.stream().map(Received::to).collect(Collectors.toSet()), "one email per participant");
        for (Received mail : invitations) {
            assertTrue(mail.calendarContentType().toLowerCase().contains("method=request"), mail.calendarContentType());
            assertTrue(mail.subject().startsWith("Invitation: 障害撲滅委員会 / Postmortem: " + incident.title), mail.subject());
            assertNotNull(mail.text());
            assertTrue(mail.html().contains("<a href="));
            Calendar calendar = parse(mail.ics());
            assertEquals("REQUEST", calendar.getProperty(Property.METHOD).orElseThrow().getValue());
            VTimeZone zone = (VTimeZone) calendar.getComponent("VTIMEZONE").orElseThrow();
            assertEquals("Asia/Tokyo", zone.getProperty(Property.TZID).orElseThrow().getValue());
            VEvent event = event(calendar);
            assertEquals(uid, event.getProperty(Property.UID).orElseThrow().getValue());
            assertEquals("0", event.getProperty(Property.SEQUENCE).orElseThrow().getValue());
            Property dtStart = event.getProperty(Property.DTSTART).orElseThrow();
            assertEquals("Asia/Tokyo", dtStart.getParameter(Parameter.TZID).orElseThrow().getValue());
            assertEquals(local.toString().replace(":", "") + "00", dtStart.getValue().substring(9));
            assertEquals("mailto:" + incident.commander.email(), event.getProperty(Property.ORGANIZER).orElseThrow().getValue());
            assertEquals(invited, event.getProperties(Property.ATTENDEE).stream().map(Property::getValue).collect(Collectors.toSet()));
        }
        JsonNode scheduledEvent = awaitEvent(broker, "toban.postmortem.scheduled", id);
        assertEquals(uid, scheduledEvent.at("/data/meeting/uid").asText());
        assertEquals(3, scheduledEvent.at("/data/meeting/attendees").size());
        assertEquals("sato", scheduledEvent.at("/data/actor/username").asText());
        assertEquals("hold", awaitEvent(broker, "toban.postmortem.decided", id).at("/data/decision").asText());

        // reschedule: same UID, SEQUENCE 1, METHOD:REQUEST again
        Instant newStart = Api.businessDayAt(2, LocalTime.of(14, 0));
        JsonPath rescheduled = as(KeycloakTokens.SATO).body("{\"start\":\"" + newStart.atZone(ZoneId.of("Asia/Tokyo")).toOffsetDateTime() + "\"}")
                .put("/api/postmortems/" + id + "/meeting").then().statusCode(200).extract().jsonPath();
        assertEquals(1, rescheduled.getInt("meeting.sequence"));
        assertEquals(uid, rescheduled.getString("meeting.uid"));
        assertEquals(newStart, Instant.parse(rescheduled.getString("meeting.start")));
        await().atMost(Duration.ofSeconds(40)).until(() -> mails(uid, "REQUEST", 1).size() == 3);
        for (Received mail : mails(uid, "REQUEST", 1)) {
            VEvent event = event(parse(mail.ics()));
            assertEquals(uid, event.getProperty(Property.UID).orElseThrow().getValue());
            assertEquals("1", event.getProperty(Property.SEQUENCE).orElseThrow().getValue());
            assertTrue(event.getProperty(Property.DTSTART).orElseThrow().getValue().endsWith("T140000"));
            assertTrue(mail.subject().startsWith("Updated invitation: "), mail.subject());
        }
        JsonNode rescheduledEvent = awaitEvent(broker, "toban.postmortem.rescheduled", id);
        assertEquals(0, rescheduledEvent.at("/data/previous/sequence").asInt());
        assertEquals(start.toString(), Instant.parse(rescheduledEvent.at("/data/previous/start").asText()).toString());
        assertEquals(1, rescheduledEvent.at("/data/meeting/sequence").asInt());

        // cancel: METHOD:CANCEL, same UID, SEQUENCE raised, back to the IC's decision
        JsonPath cancelled = as(KeycloakTokens.SATO).queryParam("reason", "the team is at an offsite")
                .delete("/api/postmortems/" + id + "/meeting").then().statusCode(200).extract().jsonPath();
        assertEquals("pending_decision", cancelled.getString("state"));
        assertNull(cancelled.get("meeting"));
        await().atMost(Duration.ofSeconds(40)).until(() -> mails(uid, "CANCEL", 2).size() == 3);
        for (Received mail : mails(uid, "CANCEL", 2)) {
            Calendar calendar = parse(mail.ics());
            assertEquals("CANCEL", calendar.getProperty(Property.METHOD).orElseThrow().getValue());
            assertTrue(mail.calendarContentType().toLowerCase().contains("method=cancel"));
            VEvent event = event(calendar);
            assertEquals(uid, event.getProperty(Property.UID).orElseThrow().getValue());
            assertEquals("CANCELLED", event.getProperty(Property.STATUS).orElseThrow().getValue());
            assertTrue(mail.text().contains("the team is at an offsite"));
        }
        JsonNode cancelledEvent = awaitEvent(broker, "toban.postmortem.cancelled", id);
        assertEquals("cancelled", cancelledEvent.at("/data/meeting/status").asText());
        assertEquals("pending_decision", cancelledEvent.at("/data/postmortem/state").asText());
        assertEquals("the team is at an offsite", cancelledEvent.at("/data/reason").asText());
    }
}
