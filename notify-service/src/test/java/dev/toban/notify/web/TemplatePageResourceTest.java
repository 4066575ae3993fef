package dev.toban.notify.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.notify.template.TemplateService;
import dev.toban.notify.testing.PageSnapshots;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The templates page: admins edit the handoff notice (and every other message) in ja and en side by side
 * with a preview; a refused text is shown again as typed with the problem next to it in the page language;
 * nothing is saved unless both texts pass; viewers and responders are kept out.
 */
@QuarkusTest
class TemplatePageResourceTest {

    static final String CSRF_COOKIE = "toban_csrf_notify-service";
    static final String PAGE = "/ui/settings/templates/handoff.notice";

    @Inject
    TemplateService templates;

    /**
     * The template as stored now, read in a transaction of its own: the test method's request-scoped
     * persistence context would keep serving what it read before a page changed it.
     */
    TemplateService.TemplateView stored(String key) {
        return QuarkusTransaction.requiringNew().call(() -> templates.get(key));
    }

    @AfterEach
    void restoreDefaults() {
        templates.restore("handoff.notice", null);
        templates.restore("incident.resolved", null);
    }

    /** A double-submit pair: the filter compares the cookie with the field (or header), whoever chose them. */
    static String csrf() {
        return "test-csrf-token-0123456789abcdefghij";
    }

    static RequestSpecification form(String token, String lang) {
        return given().redirects().follow(false).header("Accept-Language", lang)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").cookie(CSRF_COOKIE, token).formParam("csrf", token);
    }

    static String textarea(String html, String locale) {
        Matcher m = Pattern.compile("<textarea id=\"source-" + locale + "\"[^>]*>([^<]*)</textarea>").matcher(html);
        assertTrue(m.find(), "a textarea for " + locale + " in\n" + html);
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** The page follows the Content-Security-Policy: scripts only from files, no inline styles or handlers. */
    static void cspClean(String html) {
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find(), "no inline script");
        assertFalse(html.contains(" style=") || html.contains(" onclick=") || html.contains(" oninput="), "no inline style or handler");
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void theListNamesEveryTemplateInThePageLanguageWithTheHandoffNoticeFirst() {
        String ja = PageSnapshots.save("templates-list-ja", given().header("Accept-Language", "ja")
                .get("/ui/settings/templates").then().statusCode(200).extract().asString());
        assertTrue(ja.contains("<h1>メッセージのテンプレート</h1>"), ja);
        int notice = ja.indexOf("data-template=\"handoff.notice\"");
        assertTrue(notice > 0 && notice < ja.indexOf("data-template=\"page\"")
                && notice < ja.indexOf("data-template=\"incident.parent\""), "the handoff notice comes first");
        assertTrue(ja.contains(">運用当番のお知らせ</a>") && ja.contains(">インシデント: 親メッセージ</a>")
                && ja.contains(">/sos での報告のしかた</a>"), ja);
        assertTrue(ja.contains("オンコール表でも全員に表示されます"), ja);
        cspClean(ja);
        given().header("Accept-Language", "en").get("/ui/settings/templates").then().statusCode(200)
                .body(containsString("<h1>Message templates</h1>"), containsString(">Incident: parent message</a>"),
                        containsString("ja: Default"));
        given().header("Accept-Language", "ja").get("/ui/settings/templates/no.such").then().statusCode(404)
                .body(containsString("そのテンプレートはありません"));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void anAdminEditsTheHandoffNoticeWithALivePreviewInJapaneseAndEnglish() {
        String html = PageSnapshots.save("templates-notice-ja", given().header("Accept-Language", "ja").get(PAGE)
                .then().statusCode(200).extract().asString());
        cspClean(html);
        assertTrue(html.contains("<script src=\"/js/template-preview.js\" defer></script>"), "the live preview script");
        assertTrue(html.contains("data-preview-url=\"/ui/settings/templates/handoff.notice/preview\""), html);
        String ja = textarea(html, "ja");
        String en = textarea(html, "en");
        assertTrue(ja.startsWith(":bell: *運用当番のお知らせ*") && en.startsWith(":bell: *Your on-call duty notice"), ja + en);
        // both previews are there at once, rendered with the sample shift (names, not Slack ids)
        assertTrue(html.contains("<strong>運用当番のお知らせ</strong>") && html.contains("Hanako Sato さん、"), html);
        assertTrue(html.contains("Hanako Sato, you are on call for <strong>Server</strong>"), html);
        assertFalse(html.contains("&lt;@U024BE7LH&gt;") || html.contains("@U024BE7LH"), "no Slack ids in the preview");

        // the live preview: the script posts the text with the CSRF header and shows the fragment
        String token = csrf();
        String fragment = given().header("Accept-Language", "ja").cookie(CSRF_COOKIE, token).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("locale", "ja")
                .formParam("source", "*今週の当番* {person.name} さん\r\nよろしくお願いします :wave:")
                .post(PAGE + "/preview").then().statusCode(200).extract().asString();
        assertTrue(fragment.contains("<strong>今週の当番</strong> Hanako Sato さん<br>") && fragment.contains("👋"), fragment);
        assertFalse(fragment.contains("<html"), "a fragment, not a page");
        given().header("Accept-Language", "ja").cookie(CSRF_COOKIE, token).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("locale", "ja")
                .formParam("source", "一行目\n{#if person}当番{/for}")
                .post(PAGE + "/preview").then().statusCode(400)
                .body(containsString("2 行目: テンプレートの書き方に誤りがあります。"), not(containsString("Parser error")));
        given().header("Accept-Language", "en").cookie(CSRF_COOKIE, token).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("locale", "en").formParam("source", "{person.nmae}")
                .post(PAGE + "/preview").then().statusCode(400)
                .body(containsString("Line 1: the sample data has no value for {person.nmae}."));
        // without the CSRF header the preview is refused like any post
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("locale", "ja").formParam("source", "x")
                .post(PAGE + "/preview").then().statusCode(403);

        // save: the Japanese text changes, the English one stays the default (no override for it)
        String edited = ja.replace("運用当番のお知らせ*", "運用当番のお知らせ（編集済み）*");
        form(csrf(), "ja").formParam("source_ja", edited.replace("\n", "\r\n")).formParam("source_en", en)
                .formParam("action", "save").post(PAGE)
                .then().statusCode(303).header("Location", endsWith(PAGE + "?done=saved"));
        TemplateService.TemplateView view = stored("handoff.notice");
        assertTrue(view.locales().get(0).overridden() && !view.locales().get(1).overridden(), "only ja is overridden");
        assertEquals(edited, view.locales().get(0).source(), "saved as typed, with LF line breaks");
        String after = given().header("Accept-Language", "ja").get(PAGE + "?done=saved").then().statusCode(200)
                .extract().asString();
        assertTrue(after.contains("保存しました。") && after.contains("admin が編集")
                && after.contains("<strong>運用当番のお知らせ（編集済み）</strong>"), after);
        assertTrue(after.contains("class=\"secondary restore\" name=\"locale\" value=\"ja\""), "ja can be restored");
        assertFalse(after.contains("name=\"locale\" value=\"en\""), "en is the default already");

        // saving the same texts again changes nothing
        form(csrf(), "en").formParam("source_ja", edited).formParam("source_en", en).post(PAGE)
                .then().statusCode(303).header("Location", endsWith("?done=unchanged"));

        // restore the default of ja
        form(csrf(), "ja").formParam("locale", "ja").post(PAGE + "/restore")
                .then().statusCode(303).header("Location", endsWith(PAGE + "?done=restored"));
        assertFalse(stored("handoff.notice").locales().get(0).overridden());
        given().header("Accept-Language", "ja").get(PAGE + "?done=restored").then().statusCode(200)
                .body(containsString("既定の文面に戻しました"));
        form(csrf(), "en").formParam("locale", "fr").post(PAGE + "/restore").then().statusCode(400)
                .body(containsString("Choose Japanese or English."));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void aRefusedTextIsShownAgainAsTypedWithTheProblemNextToItAndNothingIsSaved() {
        String broken = "障害が解決しました\n{#if incident.commander}IC: {incident.commander.name}{/for}";
        String fine = "Resolved: {incident.title} & <https://status.example|status>";
        String ja = form(csrf(), "ja").formParam("source_ja", broken).formParam("source_en", fine)
                .formParam("action", "save").post("/ui/settings/templates/incident.resolved")
                .then().statusCode(400).extract().asString();
        PageSnapshots.save("templates-refused-ja", ja);
        assertEquals(broken, textarea(ja, "ja"), "the broken text is kept");
        assertEquals(fine, textarea(ja, "en"), "so is the other language's");
        assertTrue(ja.contains("保存していません。"), ja);
        Matcher error = Pattern.compile("<p class=\"field-error\" id=\"error-ja\" role=\"alert\">([^<]*)</p>").matcher(ja);
        assertTrue(error.find(), ja);
        assertEquals("2 行目: テンプレートの書き方に誤りがあります。終了タグが、閉じようとしているセクションと対応していません。",
                error.group(1));
        assertTrue(ja.contains("id=\"source-ja\"") && ja.contains("aria-invalid=\"true\""), ja);
        assertFalse(ja.contains("Parser error") || ja.contains("has a syntax error"), "no English on the Japanese page");
        assertFalse(stored("incident.resolved").locales().stream().anyMatch(TemplateService.LocaleSource::overridden),
                "nothing saved: not even the English text that passed");

        String en = form(csrf(), "en").formParam("source_ja", "{incident.titel}").formParam("source_en", "")
                .post("/ui/settings/templates/incident.resolved").then().statusCode(400).extract().asString();
        assertTrue(en.contains("Line 1: the sample data has no value for {incident.titel}.")
                && en.contains("The text must not be empty."), en);
        assertEquals("{incident.titel}", textarea(en, "ja"));

        // the no-JavaScript preview shows the typed texts rendered, and saves nothing
        String preview = form(csrf(), "en").formParam("source_ja", "解決: {incident.title}").formParam("source_en", fine)
                .formParam("action", "preview").post("/ui/settings/templates/incident.resolved")
                .then().statusCode(200).extract().asString();
        assertTrue(preview.contains("解決: API 5xx rate above 5%") && preview.contains("Resolved: API 5xx rate above 5% &amp; <a href=\"https://status.example\">status</a>"),
                preview);
        assertFalse(stored("incident.resolved").locales().stream().anyMatch(TemplateService.LocaleSource::overridden));

        // without the CSRF token: refused, nothing saved
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("source_ja", "x").formParam("source_en", "y").post("/ui/settings/templates/incident.resolved")
                .then().statusCode(403);
        assertFalse(stored("incident.resolved").locales().stream().anyMatch(TemplateService.LocaleSource::overridden));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void viewersAreRefused() {
        given().get("/ui/settings/templates").then().statusCode(403).body(not(containsString("<table")));
        given().get(PAGE).then().statusCode(403).body(not(containsString("<textarea")));
        String token = csrf();
        form(token, "ja").formParam("source_ja", "x").formParam("source_en", "y").post(PAGE).then().statusCode(403);
        form(token, "ja").formParam("locale", "ja").post(PAGE + "/restore").then().statusCode(403);
        assertFalse(stored("handoff.notice").locales().get(0).overridden());
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void respondersAreRefusedToo() {
        given().get(PAGE).then().statusCode(403);
        String token = csrf();
        given().cookie(CSRF_COOKIE, token).header("X-CSRF-Token", token).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("locale", "ja").formParam("source", "x").post(PAGE + "/preview").then().statusCode(403);
    }
}
