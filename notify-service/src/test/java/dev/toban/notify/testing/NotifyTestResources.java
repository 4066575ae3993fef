package dev.toban.notify.testing;

import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.RawTcpServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The outside world of notify-service for a test run: the fake Slack, a real SMTP server (GreenMail),
 * a webhook receiver and a port that answers with bytes that are not HTTP, each on a free port so
 * parallel builds on one machine never collide. The egress policy allows exactly the three HTTP
 * ports on 127.0.0.1; everything else local stays refused, as in production.
 */
public class NotifyTestResources implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "xoxb-test-token";
    /** What the not-HTTP port answers: a NUL-laden greeting, like some other protocol's server. */
    public static final byte[] NOT_HTTP = "\0\0\0\u0004RFB 003.008\0\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static volatile GreenMail mail;
    private static volatile WebhookReceiver hooks;
    private static volatile RawTcpServer notHttp;
    private FakeSlack slack;

    /** The SMTP server the test run started. */
    public static GreenMail mail() {
        return mail;
    }

    /** The webhook receiver the egress policy allows. */
    public static WebhookReceiver hooks() {
        return hooks;
    }

    /** An allowed port that answers every request with {@link #NOT_HTTP}. */
    public static RawTcpServer notHttp() {
        return notHttp;
    }

    @Override
    public Map<String, String> start() {
        try {
            slack = new FakeSlack(0, TOKEN);
            int smtpPort = freePort();
            mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            hooks = new WebhookReceiver();
            notHttp = RawTcpServer.answering(NOT_HTTP);
            return Map.of(
                    "toban.slack.api-url", slack.apiUrl(),
                    "toban.slack.bot-token", TOKEN,
                    "quarkus.mailer.host", "127.0.0.1",
                    "quarkus.mailer.port", Integer.toString(smtpPort),
                    "toban.egress.allow", "127.0.0.1:" + slack.port() + ",127.0.0.1:" + hooks.port()
                            + ",127.0.0.1:" + notHttp.port());
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
        if (hooks != null) {
            hooks.close();
        }
        if (notHttp != null) {
            notHttp.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
