package dev.toban.postmortem.rest;

import static dev.toban.postmortem.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.plumbing.testing.RawTcpServer;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.FakeHttpReceiver;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Backlog exports and the egress policy: internal trackers are refused, never connected, and nothing remote is echoed. */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class BacklogEgressTest {

    static BrokerProbe broker;
    static RawTcpServer trap;
    static RawTcpServer trap6;
    static FakeHttpReceiver tracker;

    @Inject
    EntityManager em;

    @BeforeAll
    static void start() throws IOException {
        broker = new BrokerProbe(Api.VHOST);
        trap = RawTcpServer.trap();
        trap6 = RawTcpServer.trap("::1");
        tracker = GreenMailResource.tracker();
    }

    @AfterAll
    static void stop() {
        broker.close();
        trap.close();
        trap6.close();
    }

    /** An unexported action item of a team whose GitHub webhook points at {@code path} on the fake tracker. */
    record Item(UUID team, String id) {
    }

    static Item itemOfTeamWithWebhook(String path) {
        UUID team = UUID.randomUUID();
        as(KeycloakTokens.ADMIN).body("{\"teamId\":\"" + team + "\",\"teamName\":\"Egress\",\"kind\":\"github\",\"url\":\""
                + tracker.url(path) + "\",\"secret\":\"s3cr3t\"}").post("/api/backlog-webhooks").then().statusCode(201);
        TestIncident incident = new TestIncident().responders(TestIncident.someone("suzuki"));
        incident.teamId = team;
        String postmortem = Api.open(broker, incident);
        String id = as(KeycloakTokens.SATO).body("{\"title\":\"Alert on 5xx rate\",\"ownerId\":\"" + incident.responders.get(0).id()
                        + "\",\"dueDate\":\"" + LocalDate.now(Api.TOKYO).plusDays(7) + "\"}")
                .post("/api/postmortems/" + postmortem + "/action-items").then().statusCode(201).extract().path("id");
        return new Item(team, id);
    }

    /** The team's webhook URL as a webhook saved before the egress policy existed would have it. */
    void pointAt(UUID team, String url) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backlog_webhook set url = ?1 where team_id = ?2")
                .setParameter(1, url).setParameter(2, team).executeUpdate());
    }

    @Test
    void exportsToInternalAddressesAreRefusedNeverConnectedAndLeaveTheItemUnexported() {
        Item item = itemOfTeamWithWebhook("/egress/issues");
        for (String url : List.of(
                "http://127.0.0.1:" + trap.port() + "/repos/a/b/issues",
                "http://[::1]:" + trap6.port() + "/repos/a/b/issues",
                "http://2130706433:" + trap.port() + "/repos/a/b/issues",
                "http://0x7f.1:" + trap.port() + "/repos/a/b/issues",
                "http://localhost:" + trap.port() + "/repos/a/b/issues",
                "http://10.0.0.1/repos/a/b/issues",
                "http://169.254.169.254/latest/meta-data/")) {
            pointAt(item.team(), url);
            as(KeycloakTokens.SATO).post("/api/action-items/" + item.id() + "/export").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Refused by egress policy"))
                    .body("detail", equalTo("refused by egress policy: the backlog webhook of team Egress points at an"
                            + " address Toban may not call; an admin changes its URL or allows it (toban.egress.allow)"));
        }
        assertEquals(0, trap.connections(), "never connected to 127.0.0.1");
        assertEquals(0, trap6.connections(), "never connected to ::1");
        as(KeycloakTokens.SATO).get("/api/action-items/" + item.id()).then().statusCode(200)
                .body("exportedAt", equalTo(null)).body("externalUrl", equalTo(null));

        // the allowed tracker again: the refusals left no claim behind
        pointAt(item.team(), tracker.url("/egress/issues"));
        tracker.answer("/egress/issues", 201, "{\"html_url\":\"https://github.com/acme/api/issues/9\"}");
        as(KeycloakTokens.SATO).post("/api/action-items/" + item.id() + "/export").then().statusCode(200)
                .body("externalUrl", equalTo("https://github.com/acme/api/issues/9"));
    }

    @Test
    void aTrackersAnswerIsNeverEchoedAndOnlyHttpsLinksAreKept() {
        Item failing = itemOfTeamWithWebhook("/egress/failing");
        tracker.answer("/egress/failing", 401, "{\"message\":\"Bad credentials for internal-admin@corp\"}");
        as(KeycloakTokens.SATO).post("/api/action-items/" + failing.id() + "/export").then().statusCode(502)
                .body("detail", equalTo("the backlog webhook answered HTTP 401"))
                .body(not(containsString("internal-admin")));

        Item scripted = itemOfTeamWithWebhook("/egress/script");
        tracker.answer("/egress/script", 201, "{\"html_url\":\"javascript:alert(document.cookie)\"}");
        as(KeycloakTokens.SATO).post("/api/action-items/" + scripted.id() + "/export").then().statusCode(200)
                .body("exportedAt", not(equalTo(null))).body("externalUrl", equalTo(null));
    }

    @Test
    void aWebhookSavedWithAnInternalAddressIsA400() {
        for (String url : List.of("http://127.0.0.1:8180/admin/", "http://[::1]/", "http://2130706433/", "http://0x7f.1/",
                "http://10.0.0.1/rest/api/2/issue", "http://169.254.169.254/")) {
            as(KeycloakTokens.ADMIN).body("{\"teamId\":\"" + UUID.randomUUID() + "\",\"kind\":\"github\",\"url\":\"" + url + "\"}")
                    .post("/api/backlog-webhooks").then().statusCode(400).body("errors[0].field", equalTo("url"));
        }
        as(KeycloakTokens.ADMIN).body("{\"teamId\":\"" + UUID.randomUUID() + "\",\"kind\":\"github\",\"url\":\"http://127.0.0.1:8180/\"}")
                .post("/api/backlog-webhooks").then().statusCode(400)
                .body("errors[0].message", equalTo("refused by egress policy: loopback address 127.0.0.1"));
    }
}
