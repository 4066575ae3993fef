package dev.toban.notify.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.notify.testing.PageSnapshots;
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
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .cookie(CSRF_COOKIE, token).formParam("csrf", token);
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aResponderReadsAndFiltersTheLogInBothLanguages() {
        UUID dead = delivery("dead", "connection refused: 127.0.0.1:1");
        String html = given().header("Accept-Language", "en").get("/ui/deliveries?state=dead&channel=webhook")
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("<h1>Deliveries</h1>") && html.contains("data-delivery=\"" + dead + "\""), html);
        assertTrue(html.contains(">Message</a>"), "a message key that names no template: a generic title\n" + html);
        // a webhook's answer is not for responders to read: only that it failed (or was refused by egress policy)
        assertTrue(!html.contains("connection refused: 127.0.0.1:1") && html.contains("<td class=\"last-error\">Failed</td>"), html);
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
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
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
                .body(containsString("Only failed deliveries can be replayed."));
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

    static final String SATO = "{\"id\":\"44444444-0000-4000-8000-000000000001\",\"name\":\"Hanako Sato\",\"username\":\"sato\","
            + "\"email\":\"sato@toban.test\",\"slackUserId\":\"U024BE7LH\",\"timeZone\":\"Asia/Tokyo\",\"locale\":\"ja\"}";

    /** A delivery as the consumers record it, with its recipient (null for channels and webhooks). */
    UUID delivery(String channel, String kind, String target, String messageKey, String payload, String state,
                  String error, String recipient, UUID incidentId) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into delivery (id, event_id, event_type, event_time, incident_id, purpose, channel, kind, target,
                    message_key, locale, payload, state, attempts, due_at, last_error, recipient, created_at, updated_at,
                    sent_at)
                values (?1, ?2, 'toban.incident.triggered', now(), ?3, 'page', ?4, ?5, ?6, ?7, 'ja', ?8, ?9, 1, now(),
                    ?10, ?11, now(), now(), case when ?9 = 'sent' then now() end)""")
                .setParameter(1, id).setParameter(2, "evt-" + id).setParameter(3, incidentId).setParameter(4, channel)
                .setParameter(5, kind).setParameter(6, target).setParameter(7, messageKey).setParameter(8, payload)
                .setParameter(9, state).setParameter(10, error).setParameter(11, recipient).executeUpdate());
        return id;
    }

    void attempt(UUID delivery, int n, String outcome, String error) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into delivery_attempt (delivery_id, attempt, started_at, finished_at, outcome, error, provider_message_id)
                values (?1, ?2, now(), now(), ?3, ?4, case when ?3 = 'sent' then '1732529730.000100' end)""")
                .setParameter(1, delivery).setParameter(2, n).setParameter(3, outcome).setParameter(4, error).executeUpdate());
    }

    UUID incidentThread(long number, String title) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into incident_thread (incident_id, number, title, channel, created_at, updated_at)
                values (?1, ?2, ?3, '#svc-news-api', now(), now())""")
                .setParameter(1, id).setParameter(2, number).setParameter(3, title).executeUpdate());
        return id;
    }

    UUID webhook(String name) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into webhook (id, name, url, secret, event_types, enabled, created_at, updated_at)
                values (?1, ?2, 'https://hooks.example/' || ?1, 'not-a-real-secret-123', 'toban.incident.*', false, now(), now())""")
                .setParameter(1, id).setParameter(2, name).executeUpdate());
        return id;
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void theLogNamesPeopleWebhooksMessagesAndIncidentsNotKeysOrSlackIds() {
        UUID incident = incidentThread(77, "DB connections exhausted");
        UUID dm = delivery("slack", "slack_post", "U024BE7LH", "handoff.notice:44444444-0000-4000-8000-000000000001",
                "{\"text\":\":bell: *運用当番のお知らせ*\\n<@U024BE7LH> さん、今週の当番です\"}", "sent", null, SATO, null);
        UUID page = delivery("email", "email", "sato@toban.test", "page:44444444-0000-4000-8000-000000000001:rule:r1",
                "{\"subject\":\"呼び出し: #77 DB connections exhausted\",\"text\":\"Hanako Sato さん、あなたが IC です\",\"html\":\"<p>x</p>\"}",
                "sent", null, SATO, incident);
        UUID hook = webhook("Ops bridge " + UUID.randomUUID().toString().substring(0, 6));
        UUID webhook = delivery("webhook", "webhook", hook.toString(), "webhook:" + hook,
                "{\"body\":{\"type\":\"toban.incident.triggered\",\"text\":\"#77\"}}", "dead", "HTTP 500: stack trace of the receiver",
                null, incident);
        String ja = PageSnapshots.save("deliveries-ja", given().header("Accept-Language", "ja").get("/ui/deliveries")
                .then().statusCode(200).extract().asString());
        String dmRow = row(ja, dm);
        assertTrue(dmRow.contains(">運用当番のお知らせ</a>") && dmRow.contains(">Hanako Sato</a>"), dmRow);
        assertTrue(dmRow.contains("/ui/settings/people/44444444-0000-4000-8000-000000000001"), "links the person's page");
        assertTrue(!dmRow.contains("U024BE7LH") && !dmRow.contains("handoff.notice:"), "no Slack id, no raw key: " + dmRow);
        String pageRow = row(ja, page);
        assertTrue(pageRow.contains(">呼び出し</a>") && pageRow.contains(">#77 DB connections exhausted</a>")
                && pageRow.contains("/ui/incidents/" + incident) && pageRow.contains("メール"), pageRow);
        String hookRow = row(ja, webhook);
        assertTrue(hookRow.contains(">Webhook (イベントの JSON)</a>") && hookRow.contains("Ops bridge"), hookRow);
        assertTrue(hookRow.contains("<td class=\"last-error\">失敗</td>") && !hookRow.contains("stack trace"), hookRow);
        String en = given().header("Accept-Language", "en").get("/ui/deliveries").then().statusCode(200).extract().asString();
        assertTrue(row(en, dm).contains(">On-call duty notice (運用当番のお知らせ)</a>") && row(en, page).contains(">Page</a>")
                && row(en, webhook).contains("<td class=\"last-error\">Failed</td>"), en);

        // the API names them too
        given().get("/api/deliveries/" + dm).then().statusCode(200)
                .body("recipient.name", org.hamcrest.Matchers.equalTo("Hanako Sato"))
                .body("targetName", org.hamcrest.Matchers.equalTo("Hanako Sato"))
                .body("templateKey", org.hamcrest.Matchers.equalTo("handoff.notice"))
                .body("titles.ja", org.hamcrest.Matchers.equalTo("運用当番のお知らせ"));
        given().get("/api/deliveries/" + page).then().statusCode(200)
                .body("incident.number", org.hamcrest.Matchers.equalTo(77))
                .body("incident.title", org.hamcrest.Matchers.equalTo("DB connections exhausted"));
        given().get("/api/deliveries/" + webhook).then().statusCode(200)
                .body("targetName", org.hamcrest.Matchers.startsWith("Ops bridge"))
                .body("lastError", org.hamcrest.Matchers.equalTo("failed"));
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void oneDeliveryShowsTheMessageAsSentAndEveryAttempt() {
        UUID incident = incidentThread(78, "Checkout errors");
        UUID dm = delivery("slack", "slack_post", "U024BE7LH", "page:44444444-0000-4000-8000-000000000001:fallback:slack",
                "{\"text\":\":pager: *呼び出し: #78 Checkout errors*\\n<@U024BE7LH> さん、あなたが IC です\"}", "sent", null, SATO,
                incident);
        attempt(dm, 1, "retry", "Slack: internal_error");
        attempt(dm, 2, "sent", null);
        String ja = PageSnapshots.save("delivery-slack-ja", given().header("Accept-Language", "ja")
                .get("/ui/deliveries/" + dm).then().statusCode(200).extract().asString());
        assertTrue(ja.contains("送ったメッセージ") && ja.contains("<strong>呼び出し: #78 Checkout errors</strong>"), ja);
        assertTrue(ja.contains("📟"), "emoji as Slack shows them");
        assertTrue(ja.contains("<td>失敗 (再試行)</td>") && ja.contains("Slack: internal_error") && ja.contains("<td>送信済み</td>"), ja);
        assertTrue(ja.contains("class=\"recipient\">Hanako Sato</a>") && ja.contains(">#78 Checkout errors</a>"), ja);
        assertTrue(ja.contains("chat.postMessage") && ja.contains("id=\"slack-call\""), "the Slack call as sent, folded away");
        assertFalse(ja.replaceAll("(?s)<details>.*?</details>", "").contains("U024BE7LH"), "no Slack id outside the raw call");
        assertFalse(ja.replace("/ui/deliveries/" + dm, "").contains(dm.toString()), "the delivery's id only in URLs");

        UUID mail = delivery("email", "email", "sato@toban.test", "handoff.upcoming:44444444-0000-4000-8000-000000000001",
                "{\"subject\":\"Your shift starts tomorrow\",\"text\":\"Hanako Sato, your shift starts at 10:00.\\nThanks!\",\"html\":\"<p>x</p>\"}",
                "pending", null, SATO, null);
        given().header("Accept-Language", "en").get("/ui/deliveries/" + mail).then().statusCode(200)
                .body(containsString("The message as it would be sent"), containsString("<strong>Your shift starts tomorrow</strong>"),
                        containsString("Hanako Sato, your shift starts at 10:00.\nThanks!"), containsString("No attempt yet."),
                        containsString("sato@toban.test"));

        UUID hook = delivery("webhook", "webhook", "https://hooks.example/person-secret-token", "page:44444444-0000-4000-8000-000000000001:rule:w",
                "{\"body\":{\"type\":\"toban.notify.page\",\"text\":\"paged\"},\"url\":\"https://hooks.example/person-secret-token\"}",
                "dead", "HTTP 502: <html>upstream says no</html> (after 6 attempts)", SATO, incident);
        attempt(hook, 1, "failed", "HTTP 502: <html>upstream says no</html>");
        String hookPage = PageSnapshots.save("delivery-webhook-en", given().header("Accept-Language", "en")
                .get("/ui/deliveries/" + hook).then().statusCode(200).extract().asString());
        assertTrue(hookPage.contains("&quot;type&quot; : &quot;toban.notify.page&quot;") && hookPage.contains("X-Toban-Event: toban.notify.page"),
                hookPage);
        assertFalse(hookPage.contains("upstream says no") || hookPage.contains("person-secret-token"),
                "a responder reads neither the receiver's answer nor a person's webhook address");
        assertFalse(hookPage.contains("class=\"replay\""), "only admins replay");
        given().get("/ui/deliveries/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/ui/deliveries/not-a-uuid").then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void anAdminReadsTheWebhooksAnswerAndReplaysFromTheDetail() {
        UUID hook = delivery("webhook", "webhook", "https://hooks.example/person-token-2", "page:44444444-0000-4000-8000-000000000001:rule:w",
                "{\"body\":{\"type\":\"toban.notify.page\"},\"url\":\"https://hooks.example/person-token-2\"}",
                "dead", "HTTP 502 (after 6 attempts)", SATO, null);
        attempt(hook, 1, "failed", "HTTP 502");
        given().header("Accept-Language", "ja").get("/ui/deliveries/" + hook).then().statusCode(200)
                .body(containsString("HTTP 502 (6 回試行)"), containsString("https://hooks.example/person-token-2"),
                        containsString("class=\"replay\""));
        form(csrf()).formParam("back", "detail").post("/ui/deliveries/" + hook + "/replay").then().statusCode(303)
                .header("Location", endsWith("/ui/deliveries/" + hook + "?done=replayed"));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update delivery set state = 'cancelled' where id = ?1").setParameter(1, hook).executeUpdate());
    }

    /** The table row of one delivery. */
    static String row(String html, UUID id) {
        int start = html.indexOf("data-delivery=\"" + id + "\"");
        assertTrue(start > 0, "a row for " + id);
        return html.substring(start, html.indexOf("</tr>", start));
    }
}
