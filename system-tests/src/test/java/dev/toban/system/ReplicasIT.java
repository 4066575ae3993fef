package dev.toban.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of oncall-service and of notify-service on one database and broker each: a handoff
 * is announced once and 運用当番のお知らせ is posted once, also when a replica is killed and restarted.
 */
class ReplicasIT {

    static final String PROBE = "it.replicas.shift-started";
    static final Duration WAIT = Duration.ofSeconds(40);
    static TobanSystem toban;
    static ServiceProcess oncall2;
    static ServiceProcess notify2;

    @BeforeAll
    static void start() {
        toban = TobanSystem.start();
        oncall2 = toban.oncall.replica("oncall-service-2");
        notify2 = toban.notify.replica("notify-service-2");
        oncall2.launch();
        notify2.launch();
        oncall2.awaitReady();
        notify2.awaitReady();
    }

    @AfterAll
    static void stop() {
        if (notify2 != null) {
            notify2.stop();
        }
        if (oncall2 != null) {
            oncall2.stop();
        }
        if (toban != null) {
            toban.close();
        }
    }

    static List<FakeSlack.Posted> notices(String slackUser) {
        return toban.slack.messages(slackUser).stream()
                .filter(m -> m.text != null && m.text.contains("運用当番のお知らせ")).toList();
    }

    /** The handoff post in the mobile team's channel that names the admin. */
    static List<FakeSlack.Posted> teamPosts() {
        return toban.slack.parents("#team-mobile").stream()
                .filter(m -> m.text != null && m.text.contains("運用当番") && m.text.contains("<@U0TBNADMIN>")).toList();
    }

    @Test
    void aShortNoticeHandoffIsAnnouncedOnceByTwoReplicas() {
        try (BrokerProbe probe = new BrokerProbe("toban_it")) {
            probe.durableQueue(PROBE, "toban.oncall", "toban.oncall.shift.started");

            // the admin covers the mobile rotation from now, at short notice
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Api.as(KeycloakTokens.ADMIN, toban.oncall)
                    .body(Map.of("personId", Demo.ADMIN, "start", start.toString(),
                            "end", start.plus(Duration.ofHours(2)).toString()))
                    .post("/api/schedules/" + Demo.SCHEDULE_MOBILE + "/overrides")
                    .then().statusCode(201);

            await().atMost(WAIT).until(() -> notices("U0TBNADMIN").size() == 1);
            await().atMost(WAIT).until(() -> teamPosts().size() == 1);

            // both replicas tick again, one is killed and restarted, and they tick again
            for (ServiceProcess replica : List.of(toban.oncall, oncall2)) {
                Api.as(KeycloakTokens.ADMIN, replica).post("/api/oncall/handoffs/tick").then().statusCode(200);
            }
            oncall2.kill();
            oncall2.launch();
            oncall2.awaitReady();
            for (ServiceProcess replica : List.of(toban.oncall, oncall2)) {
                Api.as(KeycloakTokens.ADMIN, replica).post("/api/oncall/handoffs/tick").then().statusCode(200);
            }

            // once the outbox is empty, every announcement that was ever made is in the probe queue
            await().atMost(WAIT).until(() -> Database.count("oncall",
                    "select count(*) from outbox_event where published_at is null") == 0);
            List<JsonNode> started = new ArrayList<>(probe.drain(PROBE));
            List<JsonNode> admins = started.stream()
                    .filter(e -> Demo.ADMIN.equals(e.path("data").path("person").path("id").asText()))
                    .toList();
            assertEquals(1, admins.size(), "shift.started for the override, exactly once: " + admins);
            JsonNode data = admins.get(0).path("data");
            assertEquals("mobile", data.path("schedule").path("role").asText());
            assertEquals(Demo.TEAM_MOBILE, data.path("team").path("id").asText());

            // and notify-service's two replicas posted the notice once
            await().atMost(WAIT).until(() -> Database.count("notify",
                    "select count(*) from delivery where state in ('pending', 'sending')") == 0);
            assertEquals(1, notices("U0TBNADMIN").size(), "one DM to the new on-call");
            assertEquals(1, teamPosts().size(), "one post in the team channel");
            probe.deleteQueue(PROBE);
        }
    }
}
