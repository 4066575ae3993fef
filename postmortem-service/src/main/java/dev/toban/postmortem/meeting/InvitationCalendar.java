package dev.toban.postmortem.meeting;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.CuType;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.parameter.SentBy;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import net.fortuna.ical4j.validate.ValidationException;

/**
 * Builds the iCalendar object of a postmortem meeting for iTIP (RFC 5546): {@code METHOD:REQUEST}
 * to invite or update, {@code METHOD:CANCEL} to cancel. The event's DTSTART/DTEND carry the
 * team's TZID and the calendar includes its VTIMEZONE.
 */
public final class InvitationCalendar {

    public static final String PRODID = "-//Toban//Postmortem 1.0//EN";
    private static final TimeZoneRegistry REGISTRY = TimeZoneRegistryFactory.getInstance().createRegistry();

    public enum Method { REQUEST, CANCEL }

    /** A calendar user: CN and mailto address. */
    public record Person(String name, String email) {
    }

    /** What the event says. */
    public record Event(String uid, int sequence, Instant start, Instant end, ZoneId zone, String summary,
                        String description, String location, String url, Person organizer, String sentBy,
                        List<Person> attendees) {
    }

    private InvitationCalendar() {
    }

    /** The calendar as text, folded at 75 octets and with CRLF line ends as RFC 5545 requires. */
    public static String render(Method method, Event event, Instant stamp) {
        Calendar calendar = build(method, event, stamp);
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ValidationException e) {
            throw new IllegalStateException("invalid invitation: " + e.getMessage(), e);
        }
        return out.toString();
    }

    public static Calendar build(Method method, Event event, Instant stamp) {
        TimeZone zone = REGISTRY.getTimeZone(event.zone().getId());
        if (zone == null) {
            throw new IllegalArgumentException("no VTIMEZONE definition for " + event.zone().getId());
        }
        ZoneId icalZone = event.zone();
        VEvent vevent = new VEvent(ZonedDateTime.ofInstant(event.start(), icalZone),
                ZonedDateTime.ofInstant(event.end(), icalZone), event.summary());
        vevent.add(new Uid(event.uid()));
        vevent.add(new Sequence(event.sequence()));
        vevent.add(new DtStamp(stamp));
        vevent.add(method == Method.CANCEL ? ImmutableStatus.VEVENT_CANCELLED : ImmutableStatus.VEVENT_CONFIRMED);
        if (event.description() != null && !event.description().isBlank()) {
            vevent.add(new Description(event.description()));
        }
        if (event.location() != null && !event.location().isBlank()) {
            vevent.add(new Location(event.location()));
        }
        if (event.url() != null) {
            vevent.add(new Url(URI.create(event.url())));
        }
        ParameterList organizerParams = new ParameterList().add(new Cn(event.organizer().name()));
        if (event.sentBy() != null && !event.sentBy().equalsIgnoreCase(event.organizer().email())) {
            organizerParams = organizerParams.add(new SentBy(URI.create("mailto:" + event.sentBy())));
        }
        vevent.add(new Organizer(organizerParams, URI.create("mailto:" + event.organizer().email())));
        for (Person attendee : event.attendees()) {
            boolean organizer = attendee.email().equalsIgnoreCase(event.organizer().email());
            ParameterList params = new ParameterList()
                    .add(new Cn(attendee.name()))
                    .add(CuType.INDIVIDUAL)
                    .add(organizer ? Role.CHAIR : Role.REQ_PARTICIPANT)
                    .add(organizer ? PartStat.ACCEPTED : PartStat.NEEDS_ACTION)
                    .add(organizer ? Rsvp.FALSE : Rsvp.TRUE);
            vevent.add(new Attendee(params, URI.create("mailto:" + attendee.email())));
        }
        Calendar calendar = new Calendar();
        calendar.add(new ProdId(PRODID));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(method == Method.CANCEL ? ImmutableMethod.CANCEL : ImmutableMethod.REQUEST);
        calendar.add(zone.getVTimeZone());
        calendar.add(vevent);
        return calendar;
    }
}
