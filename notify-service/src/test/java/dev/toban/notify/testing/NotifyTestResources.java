package dev.toban.notify.testing;

import dev.toban.plumbing.testing.FakeNtfy;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.FakeSmsGateway;
import dev.toban.plumbing.testing.FakeTwilio;
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
    private static volatile FakeTwilio twilio;
    private static volatile FakeNtfy ntfy;
    private static volatile FakeSmsGateway smsGateway;
    private FakeSlack slack;

    public static final String TWILIO_SID = "AC" + "0123456789abcdef0123456789abcdef";
    public static final String TWILIO_TOKEN = "twilio-test-auth-token";
    public static final String TWILIO_NUMBER = "+815012345678";
    public static final String NTFY_TOKEN = "tk_testntfytoken";
    public static final String SMS_GATEWAY_KEY = "sms-gateway-test-key";
    /** notify's public base URL in tests (the default); the fakes reach the test instance behind it. */
    public static final String PUBLIC_URL = "http://localhost:8083";

    public static FakeTwilio twilio() {
        return twilio;
    }

    public static FakeNtfy ntfy() {
        return ntfy;
    }

    public static FakeSmsGateway smsGateway() {
        return smsGateway;
    }

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
            twilio = new FakeTwilio(TWILIO_SID, TWILIO_TOKEN, TWILIO_NUMBER);
            ntfy = new FakeNtfy().requireToken(NTFY_TOKEN);
            smsGateway = new FakeSmsGateway().requireAuth("X-Api-Key", SMS_GATEWAY_KEY);
            Map<String, String> config = new java.util.HashMap<>();
            config.put("toban.slack.api-url", slack.apiUrl());
            config.put("toban.slack.bot-token", TOKEN);
            config.put("quarkus.mailer.host", "127.0.0.1");
            config.put("quarkus.mailer.port", Integer.toString(smtpPort));
            config.put("toban.egress.allow", "127.0.0.1:" + slack.port() + ",127.0.0.1:" + hooks.port()
                    + ",127.0.0.1:" + notHttp.port() + ",127.0.0.1:" + twilio.port() + ",127.0.0.1:" + ntfy.port()
                    + ",127.0.0.1:" + smsGateway.port());
            config.put("toban.notify.paging.twilio.api-url", twilio.apiUrl());
            config.put("toban.notify.paging.twilio.account-sid", TWILIO_SID);
            config.put("toban.notify.paging.twilio.auth-token", TWILIO_TOKEN);
            config.put("toban.notify.paging.twilio.from-number", TWILIO_NUMBER);
            config.put("toban.notify.paging.sms-http.url", smsGateway.url());
            config.put("toban.notify.paging.sms-http.auth-header", "X-Api-Key");
            config.put("toban.notify.paging.sms-http.auth-value", SMS_GATEWAY_KEY);
            config.put("toban.notify.paging.ntfy.token", NTFY_TOKEN);
            return config;
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
        if (twilio != null) {
            twilio.close();
        }
        if (ntfy != null) {
            ntfy.close();
        }
        if (smsGateway != null) {
            smsGateway.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
