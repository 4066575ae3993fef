package dev.toban.postmortem.rest;

import static dev.toban.postmortem.testing.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.Api;
import dev.toban.postmortem.testing.GreenMailResource;
import dev.toban.postmortem.testing.TestIncident;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The blameless document: template, timeline fallback, downtime, edits with optimistic locking, Markdown. */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class DocumentTest {

    static BrokerProbe broker;

    @Inject
    jakarta.persistence.EntityManager em;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe(Api.VHOST);
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    void aNewDocumentIsFilledFromTheIncident() {
        TestIncident incident = new TestIncident();
        String id = Api.open(broker, incident);
        JsonPath doc = as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/document").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("ja", doc.getString("language"));
        assertTrue(doc.getString("summary").startsWith("SEV2 インシデント #" + incident.number), doc.getString("summary"));
        assertEquals("Article pages fail for some users", doc.getString("impact"));
        assertEquals(0, doc.getInt("version"));
        // incident-service is not running: the timeline is the snapshot's key times until the job fills it in
        assertEquals(false, doc.getBoolean("timelineFromIncidentService"));
        assertEquals(java.util.List.of("problem_started", "triggered", "acknowledged", "assigned", "mitigated", "resolved"),
                doc.getList("timeline.kind"));
        assertEquals(incident.problemStartedAt.toString(), doc.getString("timeline[0].at"));
        assertEquals(180, doc.getInt("downtime.timeToDetectSeconds"));
    }

    @Test
    void editsUseOptimisticLocking() {
        TestIncident incident = new TestIncident().responders(TestIncident.someone("suzuki"));
        String id = Api.open(broker, incident);
        String path = "/api/postmortems/" + id + "/document";
        as(KeycloakTokens.SUZUKI).body("{\"version\":0,\"contributingFactors\":\"Retry storm after the cache expired\",\"wentWell\":\"Paged in 2 minutes\"}")
                .patch(path).then().statusCode(200).body("version", equalTo(1)).body("updatedBy", equalTo("suzuki"))
                .body("contributingFactors", equalTo("Retry storm after the cache expired"));
        // an edit based on version 0 lost the race
        as(KeycloakTokens.SATO).body("{\"version\":0,\"wentWell\":\"Nothing\"}").patch(path).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("version"));
        as(KeycloakTokens.SATO).body("{\"version\":1,\"gotLucky\":\"It was 3am\",\"language\":\"en\"}").patch(path)
                .then().statusCode(200).body("version", equalTo(2)).body("wentWell", equalTo("Paged in 2 minutes"))
                .body("language", equalTo("en"));
        // bad input
        as(KeycloakTokens.SATO).body("{\"wentWell\":\"no version\"}").patch(path).then().statusCode(400)
                .body("errors[0].field", equalTo("version"));
        as(KeycloakTokens.SATO).body("{\"version\":2,\"language\":\"fr\"}").patch(path).then().statusCode(400)
                .body("errors[0].field", equalTo("language"));
        as(KeycloakTokens.SATO).body("{\"version\":\"two\"}").patch(path).then().statusCode(400)
                .body("errors[0].field", equalTo("version"));
        // only people who took part, or an admin
        as(KeycloakTokens.TANAKA).body("{\"version\":2,\"summary\":\"x\"}").patch(path).then().statusCode(403);
        as(KeycloakTokens.YAMADA).body("{\"version\":2,\"summary\":\"x\"}").patch(path).then().statusCode(403);
        as(KeycloakTokens.ADMIN).body("{\"version\":2,\"summary\":\"Admin summary\"}").patch(path).then().statusCode(200);
        as(KeycloakTokens.ADMIN).get(path).then().body("version", equalTo(3)).body("gotLucky", equalTo("It was 3am"));
    }

    @Test
    void markdownExportInEitherLanguage() {
        TestIncident incident = new TestIncident();
        String id = Api.open(broker, incident);
        as(KeycloakTokens.SATO).body("{\"version\":0,\"wentPoorly\":\"The runbook | was stale\"}")
                .patch("/api/postmortems/" + id + "/document").then().statusCode(200);
        String ja = as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/document.md").then().statusCode(200)
                .contentType(startsWith("text/markdown")).extract().asString();
        assertTrue(ja.startsWith("# 障害撲滅委員会: " + incident.title), ja);
        assertTrue(ja.contains("## タイムライン") && ja.contains("## ダウンタイム") && ja.contains("## アクションアイテム"), ja);
        assertTrue(ja.contains("The runbook | was stale"), ja);
        assertTrue(ja.contains("| 検知までの時間（障害発生 → インシデント起票） | 3 min |"), ja);
        String en = as(KeycloakTokens.SATO).queryParam("lang", "en").get("/api/postmortems/" + id + "/document.md")
                .then().statusCode(200).extract().asString();
        assertTrue(en.startsWith("# Postmortem: " + incident.title), en);
        assertTrue(en.contains("## Contributing factors\n\n_To be written._"), en);
        // one definition of downtime (issue 16): mitigate is counted from the IC's acknowledgement
        assertTrue(en.contains("| Time to mitigate (IC acknowledged → provisional recovery) | 48 min |"), en);
        as(KeycloakTokens.SATO).queryParam("lang", "fr").get("/api/postmortems/" + id + "/document.md").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("lang"));
    }

    @Test
    void aPublishedDocumentIsReadOnly() {
        String id = Api.open(broker, new TestIncident().severity("SEV3"));
        Instant start = Api.businessDayAt(4, LocalTime.of(16, 0));
        as(KeycloakTokens.SATO).body("{\"decision\":\"hold\",\"start\":\"" + start + "\"}")
                .post("/api/postmortems/" + id + "/decision").then().statusCode(200);
        Api.meetingStarted(id);
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/held").then().statusCode(200);
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/publish").then().statusCode(200);
        as(KeycloakTokens.SATO).body("{\"version\":0,\"summary\":\"late edit\"}").patch("/api/postmortems/" + id + "/document")
                .then().statusCode(409).body("errors[0].field", equalTo("state"));
        as(KeycloakTokens.YAMADA).get("/api/postmortems/" + id + "/document").then().statusCode(200);
        as(KeycloakTokens.YAMADA).get("/api/postmortems/" + id + "/document.md").then().statusCode(200)
                .body(containsString("ステータス: published"));
    }

    @Test
    void theTimelineJobRetriesWhileIncidentServiceIsDown() {
        String id = Api.open(broker, new TestIncident());
        // the postmortem's commit wakes the job (its idle cap is minutes): it tries at once and backs off
        await().atMost(30, TimeUnit.SECONDS).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("""
                        select count(*) from postmortem_timeline where postmortem_id = cast(?1 as uuid) and attempts >= 1
                          and fetched_at is null and last_error = 'incident-service unavailable'
                          and next_attempt_at > now()""").setParameter(1, id).getSingleResult()).intValue() == 1));
        as(KeycloakTokens.SATO).post("/api/postmortems/" + id + "/timeline/refresh").then().statusCode(200)
                .body("filled", equalTo(false));
        as(KeycloakTokens.YAMADA).post("/api/postmortems/" + id + "/timeline/refresh").then().statusCode(403);
        as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/document").then()
                .body("timelineFromIncidentService", equalTo(false));
    }

    @Test
    void aTimelineFromIncidentServiceReplacesTheFallback() {
        String id = Api.open(broker, new TestIncident());
        // what the timeline job stores once incident-service answers (the call itself is a system-tests IT)
        String entries = """
                [{"id":"t1","at":"2026-11-25T01:12:00Z","kind":"triggered","actor":{"username":"integration:prometheus"},
                  "message":"Alert: API 5xx rate above 5%","data":{}},
                 {"id":"t2","at":"2026-11-25T01:20:00Z","kind":"role_changed","actor":{"username":"sato","name":"Hanako Sato"},
                  "message":"Hanako Sato is the Incident Commander","data":{"role":"commander"}},
                 {"id":"t3","at":"not a time","kind":"note","actor":"odd","message":"kept anyway"}]""";
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update postmortem_timeline set entries = ?1, fetched_at = now(), next_attempt_at = null where postmortem_id = ?2")
                .setParameter(1, entries).setParameter(2, java.util.UUID.fromString(id)).executeUpdate());
        as(KeycloakTokens.SATO).get("/api/postmortems/" + id + "/document").then().statusCode(200)
                .body("timelineFromIncidentService", equalTo(true))
                .body("timeline.kind", equalTo(java.util.List.of("triggered", "role_changed", "note")))
                .body("timeline[1].actor.name", equalTo("Hanako Sato"))
                .body("timeline[2].at", equalTo(null));
        String md = as(KeycloakTokens.SATO).queryParam("lang", "en").get("/api/postmortems/" + id + "/document.md")
                .then().statusCode(200).extract().asString();
        assertTrue(md.contains("| 2026-11-25 10:20 | Hanako Sato is the Incident Commander | Hanako Sato |"), md);
        assertTrue(!md.contains("not available yet"), md);
    }
}
