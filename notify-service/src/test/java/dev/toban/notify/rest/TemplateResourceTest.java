package dev.toban.notify.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Admins edit the Qute templates without a redeploy; bad syntax is refused with its line. */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class TemplateResourceTest extends NotifyTest {

    @Test
    void respondersReadTemplatesInBothLocalesViewersDoNot() {
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/templates").then().statusCode(403);
        given().get("/api/templates").then().statusCode(401);
        given().auth().oauth2(responder()).get("/api/templates").then().statusCode(200)
                .body("key", hasItem("handoff.notice")).body("key", hasItem("incident.parent"));
        given().auth().oauth2(responder()).get("/api/templates/handoff.notice").then().statusCode(200)
                .body("locales.locale", equalTo(java.util.List.of("ja", "en")))
                .body("locales[0].source", containsString("運用当番のお知らせ"))
                .body("locales[1].source", containsString("Your on-call duty notice"));
        given().auth().oauth2(responder()).get("/api/templates/no.such.template").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anEditAppliesToTheNextMessageAtOnceAndDeleteRestoresTheDefault() {
        String source = ":white_check_mark: {actor.name} took it (edited template) — IC {incident.commander.mention}";
        given().auth().oauth2(responder()).contentType(ContentType.JSON)
                .body(Map.of("locale", "ja", "source", source)).put("/api/templates/incident.acknowledged")
                .then().statusCode(403);
        try {
            given().auth().oauth2(admin()).contentType(ContentType.JSON)
                    .body(Map.of("locale", "ja", "source", source)).put("/api/templates/incident.acknowledged")
                    .then().statusCode(200)
                    .body("locales[0].overridden", equalTo(true))
                    .body("locales[0].updatedBy", equalTo("admin"))
                    .body("locales[0].defaultSource", containsString("確認しました"));

            String channel = uniqueChannel("tpl");
            UUID id = UUID.randomUUID();
            publishIncident(Events.triggered(UUID.randomUUID().toString(), Events.incident(id, 401, channel, "triggered", 1)));
            publishIncident(Events.incidentEvent(UUID.randomUUID().toString(), "acknowledged",
                    Events.incident(id, 401, channel, "acknowledged", 2), null));
            await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(channel).stream()
                    .anyMatch(m -> m.text.contains("Hanako Sato took it (edited template) — IC <@U024BE7LH>")));
        } finally {
            given().auth().oauth2(admin()).delete("/api/templates/incident.acknowledged?locale=ja").then().statusCode(200)
                    .body("locales[0].overridden", equalTo(false))
                    .body("locales[0].source", containsString("確認しました"));
        }
        given().auth().oauth2(responder()).get("/api/templates").then().statusCode(200)
                .body("find { it.key == 'incident.acknowledged' }.overriddenLocales.size()", equalTo(0));
    }

    @Test
    void badSyntaxOrAnUnknownFieldIsA400ThatNamesTheLineAndNothingIsSaved() {
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "en", "source", "first line\nsecond line\n{#if incident.commander}IC{/for}"))
                .put("/api/templates/incident.resolved")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("source"))
                .body("errors[0].message", startsWith("line 3: has a syntax error"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "en", "source", "first line\n{incident.titel}"))
                .put("/api/templates/incident.resolved")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("source"))
                .body("errors[0].message", startsWith("line 2: cannot be rendered with the sample data"))
                .body("errors[0].message", containsString("titel"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "fr", "source", "x")).put("/api/templates/incident.resolved")
                .then().statusCode(400).body("errors[0].field", equalTo("locale"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "en")).put("/api/templates/incident.resolved")
                .then().statusCode(400).body("errors[0].field", equalTo("source"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).put("/api/templates/incident.resolved")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        given().auth().oauth2(admin()).get("/api/templates/incident.resolved").then().statusCode(200)
                .body("locales[1].overridden", equalTo(false));
    }

    @Test
    void previewRendersTheSampleOrGivenDataWithoutSaving() {
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("locale", "ja"))
                .post("/api/templates/handoff.notice/preview")
                .then().statusCode(200)
                .body("text", startsWith(":bell: *運用当番のお知らせ*"))
                .body("text", containsString("<@U024BE7LH> さん"))
                .body("subject", equalTo("運用当番のお知らせ"))
                .body("html", containsString("<strong>運用当番のお知らせ</strong>"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "en", "channel", "email")).post("/api/templates/handoff.notice/preview")
                .then().statusCode(200).body("plain", containsString("Hanako Sato, you are on call"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "en", "source", "Hello {who} & <friends>", "data", Map.of("who", "Sato")))
                .post("/api/templates/reminder.sos_howto/preview")
                .then().statusCode(200).body("text", equalTo("Hello Sato & <friends>"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "en", "source", "{who}", "data", Map.of("who", "<script>")))
                .post("/api/templates/reminder.sos_howto/preview")
                .then().statusCode(200).body("text", equalTo("&lt;script&gt;")).body("plain", equalTo("<script>"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("locale", "en", "source", "ok\n{/if}")).post("/api/templates/page/preview")
                .then().statusCode(400).body("errors[0].message", startsWith("line 2"));
        given().auth().oauth2(responder()).contentType(ContentType.JSON).body(Map.of("locale", "en"))
                .post("/api/templates/page/preview").then().statusCode(403);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("locale", "en", "channel", "fax"))
                .post("/api/templates/page/preview").then().statusCode(400).body("errors[0].field", equalTo("channel"));
    }

    @Test
    void theRenderedHandoffNoticeIsForEveryoneOnTheBoardWithTheAdminsTextInUse() {
        String viewer = KeycloakTokens.of(KeycloakTokens.YAMADA);
        given().auth().oauth2(viewer).get("/api/templates/handoff.notice/rendered?locale=ja").then().statusCode(200)
                .body("subject", equalTo("運用当番のお知らせ"))
                .body("text", startsWith("🔔 運用当番のお知らせ\nHanako Sato さん、"))
                .body("text", containsString("1. 自分で手を動かしはじめない"))
                .body("text", not(containsString("<@")))
                .body("text", not(containsString("*運用当番")));
        given().auth().oauth2(KeycloakTokens.service()).get("/api/templates/handoff.notice/rendered?locale=en")
                .then().statusCode(200)
                .body("subject", equalTo("Your on-call duty notice (運用当番のお知らせ)"))
                .body("text", containsString("Hanako Sato, you are on call for Server"));
        given().auth().oauth2(viewer).get("/api/templates/handoff.notice/rendered").then().statusCode(200)
                .body("subject", equalTo("運用当番のお知らせ"));
        given().auth().oauth2(viewer).get("/api/templates/handoff.notice/rendered?locale=fr").then().statusCode(400)
                .body("errors[0].field", equalTo("locale"));
        given().get("/api/templates/handoff.notice/rendered?locale=ja").then().statusCode(401);
        // other templates stay with responders; unknown ones are a 404 for everyone
        given().auth().oauth2(viewer).get("/api/templates/incident.parent/rendered?locale=ja").then().statusCode(403);
        given().auth().oauth2(responder()).get("/api/templates/incident.parent/rendered?locale=ja").then().statusCode(200);
        given().auth().oauth2(viewer).get("/api/templates/no.such/rendered?locale=ja").then().statusCode(404);
        try {
            given().auth().oauth2(admin()).contentType(ContentType.JSON)
                    .body(Map.of("locale", "ja", "source", "*当番のみなさんへ* {person.name} さん、よろしく")).put("/api/templates/handoff.notice")
                    .then().statusCode(200);
            given().auth().oauth2(viewer).get("/api/templates/handoff.notice/rendered?locale=ja").then().statusCode(200)
                    .body("subject", equalTo("当番のみなさんへ Hanako Sato さん、よろしく"))
                    .body("text", equalTo("当番のみなさんへ Hanako Sato さん、よろしく"));
        } finally {
            given().auth().oauth2(admin()).delete("/api/templates/handoff.notice").then().statusCode(200);
        }
    }
}
