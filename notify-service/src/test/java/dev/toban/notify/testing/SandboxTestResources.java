package dev.toban.notify.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The world of the Slack sandbox tests: notify-service on a known port (its own Slack channel posts to its
 * own sandbox over HTTP, as in bin/toban up), and the fake Slack app and oncall-service ({@link FakeSlackApp}).
 */
public class SandboxTestResources implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeSlackApp app;
    private static volatile int port;

    public static FakeSlackApp app() {
        return app;
    }

    /** notify-service's port in these tests. */
    public static int port() {
        return port;
    }

    public static String apiUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/slack/api/";
    }

    @Override
    public Map<String, String> start() {
        try {
            app = new FakeSlackApp();
            app.people(PEOPLE);
            java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            app.onCallNow(ON_CALL_NOW.replace("$LONG_AGO", now.minus(java.time.Duration.ofDays(3)).toString())
                    .replace("$JUST_NOW", now.minus(java.time.Duration.ofMinutes(30)).toString())
                    .replace("$UNTIL", now.plus(java.time.Duration.ofDays(4)).toString()));
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String appUrl = "http://127.0.0.1:" + app.port();
            return Map.of(
                    "quarkus.http.test-port", Integer.toString(port),
                    "toban.slack.api-url", apiUrl(),
                    "toban.egress.allow", "127.0.0.1:" + port,
                    "toban.slack.sandbox.interactions-url", appUrl + "/interactions",
                    "toban.slack.sandbox.commands-url", appUrl + "/commands",
                    "toban.slack.sandbox.public-url", "http://127.0.0.1:" + port,
                    "quarkus.rest-client.oncall.url", appUrl);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Slack app", e);
        }
    }

    @Override
    public void stop() {
        if (app != null) {
            app.close();
        }
    }

    /**
     * Who is on call: sato since three days (never announced: the sandbox welcomes them), newbie since half an
     * hour (oncall-service announces that shift itself).
     */
    static final String ON_CALL_NOW = """
            [{"schedule":{"id":"33333333-0000-4000-8000-000000000001","name":"Server","role":"server","timeZone":"Asia/Tokyo"},
              "team":{"id":"11111111-0000-4000-8000-000000000001","name":"Server","slackChannel":"#team-server-sbx",
                      "timeZone":"Asia/Tokyo"},
              "onCall":[{"person":{"id":"44444444-0000-4000-8000-000000000001","name":"Hanako Sato","username":"sato",
                          "email":"sato@toban.test","slackUserId":"U0TBNSATO","timeZone":"Asia/Tokyo","locale":"ja"},
                         "since":"$LONG_AGO","until":"$UNTIL","source":"layer"},
                        {"person":{"id":"44444444-0000-4000-8000-000000000009","name":"Nana Newbie","username":"newbie",
                          "email":"newbie@toban.test","slackUserId":null,"timeZone":"Asia/Tokyo","locale":"en"},
                         "since":"$JUST_NOW","until":"$UNTIL","source":"override"}],
              "nextHandoff":"$UNTIL"}]""";

    /** oncall-service's people: two with Slack ids, one without. */
    static final String PEOPLE = """
            [{"id":"44444444-0000-4000-8000-000000000001","name":"Hanako Sato","username":"sato","email":"sato@toban.test",
              "slackUserId":"U0TBNSATO","timeZone":"Asia/Tokyo","locale":"ja"},
             {"id":"44444444-0000-4000-8000-000000000002","name":"Ichiro Suzuki","username":"suzuki","email":"suzuki@toban.test",
              "slackUserId":"U0TBNSUZUKI","timeZone":"Asia/Tokyo","locale":"ja"},
             {"id":"44444444-0000-4000-8000-000000000009","name":"Nana Newbie","username":"newbie","email":"newbie@toban.test",
              "slackUserId":null,"timeZone":"Asia/Tokyo","locale":"en"}]""";
}
