package dev.toban.notify.testing;

import dev.toban.plumbing.testing.FakeSlack;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The outside world of notify-service for a test run: the fake Slack and a real SMTP server
 * (GreenMail), each on a free port so parallel builds on one machine never collide.
 */
public class NotifyTestResources implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "xoxb-test-token";
    private static volatile GreenMail mail;
    private FakeSlack slack;

    /** The SMTP server the test run started. */
    public static GreenMail mail() {
        return mail;
    }

    @Override
    public Map<String, String> start() {
        try {
            slack = new FakeSlack(0, TOKEN);
            int smtpPort = freePort();
            mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            return Map.of(
                    "toban.slack.api-url", slack.apiUrl(),
                    "toban.slack.bot-token", TOKEN,
                    "quarkus.mailer.host", "127.0.0.1",
                    "quarkus.mailer.port", Integer.toString(smtpPort));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Slack", e);
        }
    }

    @Override
    public void stop() {
        if (slack != null) {
            slack.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
