package dev.toban.postmortem.meeting;

import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.lifecycle.Snapshots;
import dev.toban.postmortem.model.Meeting;
import dev.toban.postmortem.model.OutgoingMail;
import dev.toban.postmortem.model.OutgoingMailRepository;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.Postmortem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes invitation emails (text, HTML and a {@code text/calendar} iTIP part) into
 * {@code outgoing_mail} in the caller's transaction; {@link MailRelay} sends them after the commit.
 * One email per recipient, so one bad address does not hold up the others.
 */
@ApplicationScoped
public class InvitationService {

    private static final Logger LOG = Logger.getLogger(InvitationService.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private final OutgoingMailRepository mails;
    private final MailRelay relay;
    private final Snapshots snapshots;
    private final PostmortemConfig config;

    public InvitationService(OutgoingMailRepository mails, MailRelay relay, Snapshots snapshots, PostmortemConfig config) {
        this.mails = mails;
        this.relay = relay;
        this.snapshots = snapshots;
        this.config = config;
    }

    /**
     * Queues {@code method} for the meeting to each recipient with an email. The calendar lists
     * {@code attendees} (everyone for a REQUEST; for a CANCEL to one removed person, only them).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueue(Postmortem p, Meeting m, InvitationCalendar.Method method, List<Participant> attendees,
                       List<Participant> recipients, String note) {
        Instant now = Instant.now();
        InvitationCalendar.Event event = event(p, m, attendees);
        String ics = InvitationCalendar.render(method, event, now);
        String subject = subject(p, m, method);
        String text = text(p, m, method, note);
        String html = html(p, m, method, note);
        int queued = 0;
        for (Participant recipient : recipients) {
            if (recipient.email == null) {
                LOG.infof("Participant %s of postmortem %s has no email; no invitation sent", recipient.displayName(), p.id);
                continue;
            }
            OutgoingMail mail = new OutgoingMail();
            mail.id = UUID.randomUUID();
            mail.postmortemId = p.id;
            mail.meetingId = m.id;
            mail.method = method.name();
            mail.sequence = m.sequence;
            mail.recipient = recipient.email;
            mail.subject = subject;
            mail.textBody = text;
            mail.htmlBody = html;
            mail.ics = ics;
            mail.createdAt = now;
            mail.nextAttemptAt = now;
            mails.persist(mail);
            queued++;
        }
        if (queued > 0) {
            relay.wakeAfterCommit();
        }
        return queued;
    }

    InvitationCalendar.Event event(Postmortem p, Meeting m, List<Participant> attendees) {
        List<InvitationCalendar.Person> people = attendees.stream().filter(a -> a.email != null)
                .map(a -> new InvitationCalendar.Person(a.displayName(), a.email)).toList();
        String description = "障害撲滅委員会 / Postmortem of incident #" + p.incidentNumber + " (" + p.severity + "): "
                + p.incidentTitle + "\n" + snapshots.url(p)
                + "\nBlameless: we look at what happened and why the system allowed it, not at who is to blame.";
        return new InvitationCalendar.Event(m.uid, m.sequence, m.start, m.end, ZoneId.of(m.timeZone),
                summary(p), description, m.location, snapshots.url(p),
                new InvitationCalendar.Person(m.organizerName, m.organizerEmail),
                // Toban sends on the IC's behalf (RFC 5545 SENT-BY)
                config.invitations().organizerEmail(), people);
    }

    static String summary(Postmortem p) {
        return "障害撲滅委員会 / Postmortem: " + p.incidentTitle;
    }

    private static String when(Meeting m) {
        ZoneId zone = ZoneId.of(m.timeZone);
        return DAY.format(m.start.atZone(zone)) + "-" + TIME.format(m.end.atZone(zone)) + " (" + zone.getId() + ")";
    }

    static String subject(Postmortem p, Meeting m, InvitationCalendar.Method method) {
        String prefix = switch (method) {
            case CANCEL -> "Cancelled: ";
            case REQUEST -> m.sequence == 0 ? "Invitation: " : "Updated invitation: ";
        };
        return prefix + summary(p) + " @ " + when(m);
    }

    private String text(Postmortem p, Meeting m, InvitationCalendar.Method method, String note) {
        StringBuilder text = new StringBuilder();
        text.append(method == InvitationCalendar.Method.CANCEL
                ? "The postmortem meeting has been cancelled.\n障害撲滅委員会は中止になりました。\n\n"
                : "You are invited to the postmortem meeting (障害撲滅委員会).\n\n");
        text.append("Incident: #").append(p.incidentNumber).append(' ').append(p.incidentTitle)
                .append(" (").append(p.severity).append(")\n");
        text.append("When: ").append(when(m)).append('\n');
        if (m.location != null) {
            text.append("Where: ").append(m.location).append('\n');
        }
        text.append("Organiser: ").append(m.organizerName).append(" <").append(m.organizerEmail).append(">\n");
        if (note != null && !note.isBlank()) {
            text.append("Note: ").append(note).append('\n');
        }
        text.append("Postmortem: ").append(snapshots.url(p)).append("\n\n");
        text.append("The meeting is blameless: we look at what happened and why the system allowed it, not at who is to blame.\n");
        return text.toString();
    }

    private String html(Postmortem p, Meeting m, InvitationCalendar.Method method, String note) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>");
        html.append("<p>").append(method == InvitationCalendar.Method.CANCEL
                ? "The postmortem meeting has been <strong>cancelled</strong>. 障害撲滅委員会は中止になりました。"
                : "You are invited to the postmortem meeting (障害撲滅委員会).").append("</p><ul>");
        html.append("<li>Incident: #").append(p.incidentNumber).append(' ').append(escape(p.incidentTitle))
                .append(" (").append(escape(p.severity)).append(")</li>");
        html.append("<li>When: ").append(escape(when(m))).append("</li>");
        if (m.location != null) {
            html.append("<li>Where: ").append(escape(m.location)).append("</li>");
        }
        html.append("<li>Organiser: ").append(escape(m.organizerName)).append(" &lt;").append(escape(m.organizerEmail))
                .append("&gt;</li>");
        if (note != null && !note.isBlank()) {
            html.append("<li>Note: ").append(escape(note)).append("</li>");
        }
        html.append("</ul><p><a href=\"").append(escape(snapshots.url(p))).append("\">Open the postmortem</a></p>");
        html.append("<p><em>Blameless: we look at what happened and why the system allowed it, not at who is to blame.</em></p>");
        return html.append("</body></html>").toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
