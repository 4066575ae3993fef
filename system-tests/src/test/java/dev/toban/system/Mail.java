package dev.toban.system;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;

/** Reads what GreenMail received: the iCalendar part of an invitation. */
final class Mail {

    private Mail() {
    }

    /** The text/calendar part of a message, or null. */
    static String calendarPart(MimeMessage message) {
        try {
            return find(message);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read a received email", e);
        }
    }

    static Calendar parse(String ics) {
        try {
            return new CalendarBuilder().build(new StringReader(ics));
        } catch (Exception e) {
            throw new IllegalStateException("not an iCalendar document:\n" + ics, e);
        }
    }

    private static String find(Part part) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = find(multipart.getBodyPart(i));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (part.isMimeType("text/calendar")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            part.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
        return null;
    }
}
