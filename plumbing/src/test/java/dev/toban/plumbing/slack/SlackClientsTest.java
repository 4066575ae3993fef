package dev.toban.plumbing.slack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.egress.EgressPolicy;
import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.RawTcpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Slack SDK's client for a base URL and bot token, every connection vetted by the egress policy. */
class SlackClientsTest {

    @Test
    void callsTheWebApiAtTheBaseUrlWithTheBotToken() throws Exception {
        try (FakeSlack slack = new FakeSlack(0, "xoxb-clients");
             SlackClients clients = SlackClients.create(slack.apiUrl().replaceAll("/$", ""), "xoxb-clients",
                     Duration.ofSeconds(2), EgressPolicy.allowing("127.0.0.1:" + slack.port()))) {
            assertEquals(slack.apiUrl(), clients.apiUrl(), "a trailing slash is added");
            assertTrue(clients.methods().authTest(r -> r).isOk());
            assertTrue(clients.methods().usersInfo(r -> r.user("U0NOBODY")).getError().equals("user_not_found"));
            assertTrue(slack.violations().isEmpty(), slack.violations().toString());
        }
    }

    @Test
    void noMetricsThreadOfTheSdkKeepsRunning() {
        try (SlackClients clients = SlackClients.create("https://slack.com/api/", "xoxb-x", Duration.ofSeconds(2),
                EgressPolicy.allowing())) {
            // stats are off: the stores' threads (one per API config, and the SDK's static defaults') are stopped
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of(),
                    Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                            .filter(n -> n.startsWith("slack-api-metrics")).toList()));
        }
    }

    @Test
    void aBaseUrlPointingInsideIsRefusedAndNeverConnectedTo() throws Exception {
        try (RawTcpServer trap = RawTcpServer.trap();
             SlackClients clients = SlackClients.create("http://127.0.0.1:" + trap.port() + "/api/", "xoxb-x",
                     Duration.ofSeconds(2), EgressPolicy.allowing())) {
            IOException e = assertThrows(IOException.class, () -> clients.methods().authTest(r -> r));
            assertTrue(EgressRefusedException.in(e).isPresent(), e.toString());
            assertEquals(0, trap.connections());
        }
    }
}
