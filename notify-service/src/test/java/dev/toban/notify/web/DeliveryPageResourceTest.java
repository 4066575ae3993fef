package dev.toban.notify.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The delivery log page: responders read it, admins replay dead deliveries, viewers are kept out. */
@QuarkusTest
class DeliveryPageResourceTest {

    static final String CSRF_COOKIE = "toban_csrf_notify-service";

    @Inject
    EntityManager em;

    /** A delivery in the log as the dispatcher leaves it; updated_at far in the past to see a replay touch it. */
    UUID delivery(String state, String error) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into delivery (id, event_id, event_type, event_time, purpose, channel, kind, target, message_key,
                    locale, payload, state, attempts, due_at, last_error, created_at, updated_at)
                values (?1, ?2, 'toban.incident.triggered', now(), 'webhook', 'webhook', 'webhook',
                    ?5, 'page-test', 'en',
                    '{"body":{"test":true},"url":"http://127.0.0.1:1/hook"}', ?3, 8, now(), ?4, now(),
                    timestamptz '2026-01-01 00:00:00+00')""")
                .setParameter(1, id).setParameter(2, "evt-" + id).setParameter(3, state).setParameter(4, error)
                .setParameter(5, "person-webhook-" + id).executeUpdate());
        return id;
    }

    Object column(UUID id, String column) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select " + column + " from delivery where id = ?1").setParameter(1, id).getSingleResult());
    }

    static String csrf() {
        return given().get("/ui/deliveries").then().statusCode(200).extract().cookie(CSRF_COOKIE);
    }

    static RequestSpecification form(String token) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie(CSRF_COOKIE, token).formParam("csrf", token);
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aResponderReadsAndFiltersTheLogInBothLanguages() {
        UUID dead = delivery("dead", "connection refused: 127.0.0.1:1");
        String html = given().header("Accept-Language", "en").get("/ui/deliveries?state=dead&channel=webhook")
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("<h1>Deliveries</h1>") && html.contains("data-delivery=\"" + dead + "\""), html);
        assertTrue(html.contains("page-test"), html);
        // a webhook's answer is not for responders to read: only that it failed (or was refused by egress policy)
        assertTrue(!html.contains("connection refused: 127.0.0.1:1") && html.contains("<td class=\"last-error\">failed</td>"), html);
        assertTrue(!html.contains("class=\"replay\""), "only admins replay");
        assertTrue(!html.contains("data-state=\"sent\""), "filtered by state");
        given().header("Accept-Language", "ja").get("/ui/deliveries?state=dead").then().statusCode(200)
                .body(containsString("通知の配信"), containsString("失敗"), containsString("最後のエラー"));
        given().get("/ui/deliveries?state=exploded").then().statusCode(400).body(containsString("Choose the state"));
        given().get("/ui/deliveries?before=abc").then().statusCode(400);
        // a responder's forged replay: 403, nothing changes
        form(csrf()).post("/ui/deliveries/" + dead + "/replay").then().statusCode(403);
        assertEquals("dead", column(dead, "state"));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void anAdminReplaysADeadDelivery() {
        UUID dead = delivery("dead", "HTTP 500");
        given().get("/ui/deliveries?state=dead").then().statusCode(200).body(containsString("class=\"replay\""))
                .body(containsString("<td class=\"last-error\">HTTP 500</td>"));
        // without the CSRF token: refused, unchanged
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .post("/ui/deliveries/" + dead + "/replay").then().statusCode(403);
        assertEquals("dead", column(dead, "state"));

        form(csrf()).post("/ui/deliveries/" + dead + "/replay").then().statusCode(303)
                .header("Location", endsWith("/ui/deliveries?done=replayed"));
        assertNotEquals("2026-01-01T00:00Z", column(dead, "updated_at").toString().replace(":00Z", "Z"));
        assertTrue(!"dead".equals(column(dead, "state")) || ((Number) column(dead, "attempts")).intValue() < 8,
                "replayed with a fresh attempt budget");
        given().get("/ui/deliveries?done=replayed").then().body(containsString("queued to be sent again"));

        UUID sent = delivery("sent", null);
        form(csrf()).post("/ui/deliveries/" + sent + "/replay").then().statusCode(409)
                .body(containsString("only dead deliveries can be replayed"));
        form(csrf()).post("/ui/deliveries/" + UUID.randomUUID() + "/replay").then().statusCode(404);
        // the replayed fixture would retry against a closed port for minutes: stop it
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update delivery set state = 'cancelled' where id = ?1").setParameter(1, dead).executeUpdate());
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void viewersDoNotSeeTheLog() {
        given().get("/ui/deliveries").then().statusCode(403).body(not(containsString("<table")));
    }
}
