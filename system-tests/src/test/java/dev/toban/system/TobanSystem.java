package dev.toban.system;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.toban.plumbing.testing.FakeNtfy;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.FakeTwilio;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.plumbing.testing.LocalStack;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The four packaged services started together with their demo data, the way {@code bin/toban up}
 * runs them, but on the system tests' own ports ({@link #PORTS}, 28081-28084, so a developer's {@code bin/toban up}
 * on 8081-8084 keeps running), signing in with the realm's clients for those ports ({@code toban-oncall-it}...),
 * against the {@code _it} databases, a fake Slack, a fake Twilio, a fake ntfy server (the demo's push topics live
 * there) and a GreenMail SMTP server.
 */
final class TobanSystem implements AutoCloseable {

    static final String SLACK_TOKEN = "xoxb-system-tests";
    /**
     * The services' ports in the system tests: the service port + 20000 (bin/toban up uses 8081-8084, the
     * benchmarks 18081-18082). keycloak/realm-toban.json has a client for each ({@code <client>-it}) whose redirect
     * URIs and back-channel logout go to these ports.
     */
    static final Map<String, Integer> PORTS = Map.of("oncall-service", 28081, "incident-service", 28082,
            "notify-service", 28083, "postmortem-service", 28084);
    private static final Map<String, String> PUBLIC_URL_SETTINGS = Map.of("oncall-service", "TOBAN_ONCALL_PUBLIC_URL",
            "incident-service", "TOBAN_INCIDENT_PUBLIC_URL", "notify-service", "TOBAN_NOTIFY_PUBLIC_URL",
            "postmortem-service", "TOBAN_POSTMORTEM_PUBLIC_URL");
    static final Map<String, String> SERVICE_URL_SETTINGS = Map.of("oncall-service", "ONCALL_URL",
            "incident-service", "INCIDENT_URL", "notify-service", "NOTIFY_URL", "postmortem-service", "POSTMORTEM_URL");

    final FakeSlack slack;
    final FakeTwilio twilio;
    final FakeNtfy ntfy;
    final GreenMail mail;
    final ServiceProcess oncall;
    final ServiceProcess incident;
    final ServiceProcess notify;
    final ServiceProcess postmortem;
    private final List<ServiceProcess> all = new ArrayList<>();

    private TobanSystem(Map<String, String> overrides) throws IOException {
        slack = new FakeSlack(0, SLACK_TOKEN);
        twilio = new FakeTwilio("AC" + "0".repeat(32), "twilio-system-tests", "+815012345678");
        ntfy = new FakeNtfy();
        mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Map<String, String> common = new HashMap<>(Map.of("TOBAN_DEMO_ENABLED", "true",
                // the demo's push topics (Sato, Tanaka) on the fake ntfy
                "TOBAN_DEMO_NTFY_URL", ntfy.topicUrl("")));
        // each service's Keycloak client for the test ports, and every link and feed URL on those ports
        PUBLIC_URL_SETTINGS.forEach((service, setting) -> common.put(setting, "http://localhost:" + PORTS.get(service)));
        // and each other on those ports (their defaults are bin/toban up's, where a developer's Toban may run)
        SERVICE_URL_SETTINGS.forEach((service, setting) -> common.put(setting, "http://localhost:" + PORTS.get(service)));
        common.putAll(overrides);
        oncall = prepare("oncall-service", common);
        incident = prepare("incident-service", common)
                .with("ONCALL_URL", oncall.url())
                // the Slack app's Web API calls (views.open, users.info, response_urls) go to the same fake Slack
                .with("SLACK_API_URL", slack.apiUrl())
                .with("SLACK_BOT_TOKEN", SLACK_TOKEN)
                .with("TOBAN_EGRESS_ALLOW", "127.0.0.1:" + slack.port());
        notify = prepare("notify-service", common)
                .with("ONCALL_URL", oncall.url())
                .with("SLACK_API_URL", slack.apiUrl())
                .with("SLACK_BOT_TOKEN", SLACK_TOKEN)
                .with("TWILIO_API_URL", twilio.apiUrl())
                .with("TWILIO_ACCOUNT_SID", twilio.accountSid())
                .with("TWILIO_AUTH_TOKEN", twilio.authToken())
                .with("TWILIO_FROM_NUMBER", twilio.number())
                // the egress policy refuses loopback: allow exactly the fakes
                .with("TOBAN_EGRESS_ALLOW", "127.0.0.1:" + slack.port() + ",127.0.0.1:" + twilio.port()
                        + ",127.0.0.1:" + ntfy.port())
                .with("SMTP_HOST", "127.0.0.1")
                .with("SMTP_PORT", String.valueOf(mail.getSmtp().getPort()))
                .with("TOBAN_MAIL_MOCK", "false");
        postmortem = prepare("postmortem-service", common)
                .with("ONCALL_URL", oncall.url())
                .with("INCIDENT_URL", incident.url())
                .with("SMTP_HOST", "127.0.0.1")
                .with("SMTP_PORT", String.valueOf(mail.getSmtp().getPort()))
                .with("TOBAN_MAIL_MOCK", "false");
        all.addAll(List.of(oncall, incident, notify, postmortem));
    }

    private static ServiceProcess prepare(String module, Map<String, String> common) {
        return ServiceProcess.prepare(module, module, PORTS.get(module), true, common)
                .with("QUARKUS_OIDC_CLIENT_ID", "toban-" + module.replace("-service", "") + "-it");
    }

    /** Starts everything; the JVMs start side by side and this returns when all are ready. */
    static TobanSystem start() {
        return start(Map.of());
    }

    static TobanSystem start(Map<String, String> overrides) {
        return create(overrides).launchAll();
    }

    /** The same, each service run as {@code flavor} ({@code jvm} or {@code native}; ServiceProcess#flavor). */
    static TobanSystem startAs(String flavor) {
        TobanSystem system = create(Map.of());
        system.all.forEach(service -> service.flavor(flavor));
        return system.launchAll();
    }

    private static TobanSystem create(Map<String, String> overrides) {
        try {
            return new TobanSystem(overrides);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the services side by side and returns when all are ready. */
    private TobanSystem launchAll() {
        all.forEach(ServiceProcess::launch);
        all.forEach(ServiceProcess::awaitReady);
        return this;
    }

    /** The four services, in start order. */
    List<ServiceProcess> services() {
        return List.copyOf(all);
    }

    /**
     * The same with the Slack sandbox standing in for Slack, as {@code bin/toban up} runs without a bot token:
     * notify-service and incident-service call the sandbox's Web API on notify-service with its token, and the
     * sandbox signs its requests to incident-service with the signing secret of {@code .toban/secrets.env}.
     */
    static TobanSystem startWithSlackSandbox() {
        TobanSystem system = create(Map.of());
        String api = system.notify.url() + "/sandbox/slack/api/";
        String allow = "localhost:" + system.notify.port() + ",127.0.0.1:" + system.notify.port()
                + ",127.0.0.1:" + system.twilio.port() + ",127.0.0.1:" + system.ntfy.port();
        for (ServiceProcess service : List.of(system.notify, system.incident)) {
            service.with("SLACK_API_URL", api).with("SLACK_BOT_TOKEN", "xoxb-sandbox").with("TOBAN_EGRESS_ALLOW", allow);
        }
        system.notify.with("TOBAN_SLACK_SANDBOX_ENABLED", "true");
        return system.launchAll();
    }

    /**
     * Decides to hold the postmortem {@code postmortemId} (it is then scheduled) and returns the iCalendar part of
     * the first invitation mailed after the decision. Other mail may arrive first (an email page of the incident):
     * the first one with a calendar part is the invitation.
     */
    String holdPostmortem(String postmortemId, Duration wait) {
        int mailsBefore = mail.getReceivedMessages().length;
        Api.as(KeycloakTokens.ADMIN, postmortem).body(Map.of("decision", "hold"))
                .post("/api/postmortems/" + postmortemId + "/decision")
                .then().statusCode(200).body("state", equalTo("scheduled"));
        String[] ics = new String[1];
        await().atMost(wait).until(() -> {
            MimeMessage[] received = mail.getReceivedMessages();
            for (int i = mailsBefore; i < received.length && ics[0] == null; i++) {
                ics[0] = Mail.calendarPart(received[i]);
            }
            return ics[0] != null;
        });
        assertNotNull(ics[0], "the invitation carries a text/calendar part");
        return ics[0];
    }

    /**
     * Mirrors the realm's roles now instead of at the first periodic sync (20 s after start): an admin runs the
     * Keycloak sync and this returns once incident-service's people replica knows who is a responder, which the
     * Slack app needs before it acts for anyone.
     */
    void mirrorRealmRoles() {
        Api.as(dev.toban.plumbing.testing.KeycloakTokens.ADMIN, oncall).post("/api/people/sync").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Database.count("incident",
                "select count(*) from person where username = 'sato' and roles like '%responder%'") == 1);
    }

    /** The demo integration key of the News API service (bin/toban generates it into secrets.env). */
    static String demoIntegrationKey() {
        String key = LocalStack.get("TOBAN_DEMO_INTEGRATION_KEY", null);
        if (key == null) {
            throw new IllegalStateException("TOBAN_DEMO_INTEGRATION_KEY is not set: run bin/toban stack first");
        }
        return key;
    }

    static {
        // GreenMail and the fake Slack log their own socket errors when a service is stopped mid-call;
        // those must not fail whichever assertion happens to be waiting at that moment
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @Override
    public void close() {
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).stop();
        }
        try {
            mail.stop();
        } catch (RuntimeException e) {
            // a service stopped mid-send; the test has already read what it needed
        }
        slack.close();
        twilio.close();
        ntfy.close();
    }

    static int freePort() {
        return ServiceProcess.freePort();
    }
}
