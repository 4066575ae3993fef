package dev.toban.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plumbing end to end: a state change in oncall-service leaves through its outbox, crosses the
 * real RabbitMQ and is applied by incident-service's consumer, also across a broker restart.
 */
class EventFlowIT {

    static ServiceProcess oncall;
    static ServiceProcess incident;

    @BeforeAll
    static void start() {
        oncall = ServiceProcess.start("oncall-service", true);
        incident = ServiceProcess.start("incident-service", true);
    }

    @AfterAll
    static void stop() {
        if (incident != null) {
            incident.stop();
        }
        if (oncall != null) {
            oncall.stop();
        }
    }

    static String createTeam(String name) {
        return Api.as(KeycloakTokens.ADMIN, oncall)
                .body("{\"name\":\"" + name + "\",\"timeZone\":\"Asia/Tokyo\",\"slackChannel\":\"#ops\"}")
                .post("/api/teams").then().statusCode(201).extract().path("id");
    }

    static Set<String> teamsKnownToIncident() {
        List<String> ids = Api.as(KeycloakTokens.YAMADA, incident).get("/api/teams")
                .then().statusCode(200).extract().path("id");
        return new HashSet<>(ids);
    }

    @Test
    void aTeamCreatedInOncallReachesTheIncidentCatalog() {
        String id = createTeam("Server " + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(15)).until(() -> teamsKnownToIncident().contains(id));
    }

    @Test
    void eventsWrittenWhileTheBrokerIsDownGoOutWhenItIsBack() {
        String probeQueue = "it.event-flow.probe";
        try (BrokerProbe probe = new BrokerProbe("toban_it")) {
            probe.durableQueue(probeQueue, "toban.oncall", "toban.oncall.team.*");
        }
        List<String> ids = new ArrayList<>();
        LocalServices.stopRabbitMq();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !oncall.ready());
            for (int i = 0; i < 10; i++) {
                ids.add(createTeam("During outage " + i + " " + UUID.randomUUID()));
            }
        } finally {
            LocalServices.startRabbitMq();
        }
        await().atMost(Duration.ofSeconds(60)).until(oncall::ready);
        await().atMost(Duration.ofSeconds(60)).until(() -> teamsKnownToIncident().containsAll(ids));

        try (BrokerProbe probe = new BrokerProbe("toban_it")) {
            List<JsonNode> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                events.addAll(probe.drain(probeQueue));
                return events.stream().map(e -> e.path("subject").asText()).toList().containsAll(ids);
            });
            List<String> subjects = events.stream().map(e -> e.path("subject").asText()).filter(ids::contains).toList();
            assertEquals(ids.size(), subjects.size(), "each event published once: " + subjects);
            probe.deleteQueue(probeQueue);
        }
    }
}
