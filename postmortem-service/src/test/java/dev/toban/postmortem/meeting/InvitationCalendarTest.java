package dev.toban.postmortem.meeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.postmortem.testing.GreenMailResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.Attendee;
import org.junit.jupiter.api.Test;

/**
 * A @QuarkusTest only for class loading: ical4j registers a java.time ZoneRulesProvider, which the
 * JVM allows once, so the tests must load ical4j through the same class loader as the application.
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class InvitationCalendarTest {

    static final InvitationCalendar.Event EVENT = new InvitationCalendar.Event(
            "postmortem-1234@toban", 2,
            Instant.parse("2026-11-30T01:00:00Z"), Instant.parse("2026-11-30T02:00:00Z"), ZoneId.of("Asia/Tokyo"),
            "障害撲滅委員会 / Postmortem: API 5xx rate above 5%", "A long description, with commas; and semicolons",
            "https://meet.example/toban-42", "http://localhost:8084/postmortems/1234",
            new InvitationCalendar.Person("Hanako Sato", "sato@toban.example"), null,
            List.of(new InvitationCalendar.Person("Hanako Sato", "sato@toban.example"),
                    new InvitationCalendar.Person("Ichiro Suzuki", "suzuki@toban.example")));

    static Calendar parse(String ics) throws Exception {
        return new CalendarBuilder().build(new StringReader(ics));
    }

    @Test
    void requestCarriesMethodUidSequenceAttendeesAndTheTeamsZone() throws Exception {
        String ics = InvitationCalendar.render(InvitationCalendar.Method.REQUEST, EVENT, Instant.parse("2026-11-25T10:00:00Z"));
        assertTrue(ics.contains("\r\n"), "RFC 5545 lines end with CRLF");
        Calendar calendar = parse(ics);
        calendar.validate();
        assertEquals("REQUEST", calendar.getProperty(Property.METHOD).orElseThrow().getValue());
        VTimeZone zone = (VTimeZone) calendar.getComponent("VTIMEZONE").orElseThrow();
        assertEquals("Asia/Tokyo", zone.getProperty(Property.TZID).orElseThrow().getValue());
        VEvent event = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
        assertEquals("postmortem-1234@toban", event.getProperty(Property.UID).orElseThrow().getValue());
        assertEquals("2", event.getProperty(Property.SEQUENCE).orElseThrow().getValue());
        assertEquals("CONFIRMED", event.getProperty(Property.STATUS).orElseThrow().getValue());
        Property start = event.getProperty(Property.DTSTART).orElseThrow();
        assertEquals("Asia/Tokyo", start.getParameter(Parameter.TZID).orElseThrow().getValue());
        assertEquals("20261130T100000", start.getValue());
        assertEquals("20261130T110000", event.getProperty(Property.DTEND).orElseThrow().getValue());
        assertEquals("mailto:sato@toban.example", event.getProperty(Property.ORGANIZER).orElseThrow().getValue());
        List<Attendee> attendees = event.getProperties(Property.ATTENDEE);
        assertEquals(List.of("mailto:sato@toban.example", "mailto:suzuki@toban.example"),
                attendees.stream().map(Property::getValue).toList());
        assertEquals("CHAIR", attendees.get(0).getParameter(Parameter.ROLE).orElseThrow().getValue());
        assertEquals("REQ-PARTICIPANT", attendees.get(1).getParameter(Parameter.ROLE).orElseThrow().getValue());
        assertEquals("Ichiro Suzuki", attendees.get(1).getParameter(Parameter.CN).orElseThrow().getValue());
        assertEquals("TRUE", attendees.get(1).getParameter(Parameter.RSVP).orElseThrow().getValue());
        assertEquals("A long description, with commas; and semicolons",
                event.getProperty(Property.DESCRIPTION).orElseThrow().getValue());
    }

    @Test
    void cancelIsMethodCancelWithStatusCancelled() throws Exception {
        Calendar calendar = parse(InvitationCalendar.render(InvitationCalendar.Method.CANCEL, EVENT, Instant.now()));
        calendar.validate();
        assertEquals("CANCEL", calendar.getProperty(Property.METHOD).orElseThrow().getValue());
        VEvent event = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
        assertEquals("CANCELLED", event.getProperty(Property.STATUS).orElseThrow().getValue());
        assertEquals("postmortem-1234@toban", event.getProperty(Property.UID).orElseThrow().getValue());
    }

    @Test
    void otherZonesGetTheirOwnTimezoneDefinition() throws Exception {
        InvitationCalendar.Event ny = new InvitationCalendar.Event(EVENT.uid(), 0, Instant.parse("2026-03-09T14:00:00Z"),
                Instant.parse("2026-03-09T15:00:00Z"), ZoneId.of("America/New_York"), "x", null, null, null,
                EVENT.organizer(), "postmortem@toban.example", EVENT.attendees());
        Calendar calendar = parse(InvitationCalendar.render(InvitationCalendar.Method.REQUEST, ny, Instant.now()));
        VEvent event = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
        Property start = event.getProperty(Property.DTSTART).orElseThrow();
        assertEquals("America/New_York", start.getParameter(Parameter.TZID).orElseThrow().getValue());
        assertEquals("20260309T100000", start.getValue(), "10:00 EDT");
        assertEquals("mailto:postmortem@toban.example",
                event.getProperty(Property.ORGANIZER).orElseThrow().getParameter(Parameter.SENT_BY).orElseThrow().getValue());
    }
}
