package dev.toban.postmortem.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) on a free port for the whole test run; the service's mailer is
 * pointed at it. Tests read what arrived and take the iCalendar part apart. Also the fake issue
 * tracker behind the backlog webhooks, the one local port the egress policy allows.
 */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    private static GreenMail greenMail;
    private static FakeHttpReceiver tracker;

    /** Stands in for GitHub and Jira; {@code toban.egress.allow} names its port. */
    public static FakeHttpReceiver tracker() {
        return tracker;
    }

    @Override
    public Map<String, String> start() {
        int port = freePort();
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        tracker = new FakeHttpReceiver();
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(port),
                "quarkus.mailer.mock", "false",
                "toban.egress.allow", "127.0.0.1:" + tracker.port());
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    /** One received email, reduced to what the tests check. */
    public record Received(String to, String subject, String text, String html, String calendarContentType,
                           String ics, MimeMessage message) {
    }

    /** Every email received so far. */
    public static List<Received> received() {
        List<Received> all = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            all.add(parse(message));
        }
        return all;
    }

    /** Emails whose iCalendar part has this UID. */
    public static List<Received> forUid(String uid) {
        return received().stream().filter(r -> r.ics() != null && r.ics().contains("UID:" + uid)).toList();
    }

    private static Received parse(MimeMessage message) {
        try {
            String to = Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString)
                    .findFirst().orElse(null);
            Parts parts = new Parts();
            walk(message, parts);
            return new Received(to, message.getSubject(), parts.text, parts.html, parts.calendarType, parts.ics, message);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read a received email", e);
        }
    }

    private static final class Parts {
        String text;
        String html;
        String calendarType;
        String ics;
    }

    private static void walk(Part part, Parts found) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                walk(child, found);
            }
        } else if (part.isMimeType("text/calendar")) {
            found.calendarType = part.getContentType();
            found.ics = read(part.getInputStream());
        } else if (part.isMimeType("text/plain") && found.text == null) {
            found.text = String.valueOf(part.getContent());
        } else if (part.isMimeType("text/html") && found.html == null) {
            found.html = String.valueOf(part.getContent());
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
