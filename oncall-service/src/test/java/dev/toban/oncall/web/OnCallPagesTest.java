package dev.toban.oncall.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.schedule.CoverRequestService;
import dev.toban.oncall.testing.Fixtures;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The on-call pages as each role sees them: the board, schedule weeks and months, cover requests
 * (sato asks, suzuki accepts), my page, and the refusals (viewer POST, missing CSRF token, bad input).
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnCallPagesTest {

    static final String CSRF_COOKIE = "toban_csrf_oncall-service";
    static final String SATO = DemoDataService.SATO.toString();
    static final String SUZUKI = DemoDataService.SUZUKI.toString();
    static final LocalDate START = LocalDate.of(2026, 1, 1);
    /** A daily UTC rotation sato, suzuki from 2026-01-01, so page times are UTC too. */
    static String scheduleId;
    /** The flash cookie that carried sato's new calendar link (test 6). */
    static String satosFlash;

    @Inject
    CoverRequestService covers;

    @BeforeAll
    static void schedule() {
        // RestAssured learns the port only when the first test starts; the fixtures need it now
        io.restassured.RestAssured.port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
        scheduleId = Fixtures.schedule(Fixtures.team(List.of(SATO, SUZUKI)), "server", "UTC",
                Fixtures.layer("Daily", 1, List.of(SATO, SUZUKI), 1, 1, "DAYS", "00:00", START.toString(), null));
    }

    /** The first future day (from the day after tomorrow) on which sato is on call. */
    static LocalDate satoDay() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(2);
        while (ChronoUnit.DAYS.between(START, day) % 2 != 0) {
            day = day.plusDays(1);
        }
        return day;
    }

    /** A page GET that also yields the CSRF cookie, which the page's forms echo. */
    static String csrf(String path) {
        Response page = given().get(path);
        assertEquals(200, page.statusCode(), page.asString());
        return page.cookie(CSRF_COOKIE);
    }

    /**
     * A form post with the token as a browser sends it (the csrf field) and, for now, also in the
     * X-CSRF-Token header: plumbing's CsrfFilter runs before RESTEasy has read the form, so it never
     * sees the field (see {@link #theFormFieldAloneIsAccepted}).
     */
    static io.restassured.specification.RequestSpecification form(String token) {
        return given().cookie(CSRF_COOKIE, token).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded").formParam("csrf", token);
    }

    static long openRequests(CoverRequestService covers) {
        return covers.list(java.util.UUID.fromString(scheduleId), "open").size();
    }

    @Test
    @Order(1)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerSeesTheBoardInJapaneseWithContactsAndNextHandoffButNoButtons() {
        given().header("Accept-Language", "ja").get("/ui/oncall").then().statusCode(200)
                .body(allOf(containsString("いまの運用当番"), containsString("次の交代"), containsString("data-refresh=\"/ui/oncall/live\""),
                        containsString("https://slack.com/app_redirect?channel=U0TBN"), containsString("mailto:"),
                        containsString("Asia/Tokyo"), not(containsString("<form"))));
        // the live fragment is just the board, without the layout
        given().header("Accept-Language", "ja").get("/ui/oncall/live").then().statusCode(200)
                .body(allOf(containsString("oncall-card"), not(containsString("<html")), not(containsString("<nav"))));
        given().header("Accept-Language", "ja").get("/ui/schedules/" + scheduleId).then().statusCode(200)
                .body(allOf(containsString("実際の当番"), containsString("代理依頼"), not(containsString("<form method=\"post\""))));
    }

    @Test
    @Order(2)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void englishWeekAndMonthViewsShowLayersOverridesAndTheEffectiveOnCall() {
        given().header("Accept-Language", "en").get("/ui/oncall").then().statusCode(200)
                .body(allOf(containsString("On call now"), containsString("Next handoff")));
        given().header("Accept-Language", "en").get("/ui/schedules").then().statusCode(200)
                .body(containsString("/ui/schedules/" + scheduleId));

        String week = given().header("Accept-Language", "en").queryParam("from", "2026-12-02")
                .get("/ui/schedules/" + scheduleId).then().statusCode(200).extract().asString();
        assertTrue(week.contains("data-view=\"week\""));
        assertEquals(7, count(week, "<time datetime=\"2026-1[12]-\\d\\d\">"), "Monday 2026-11-30 to Sunday 2026-12-06");
        assertTrue(week.contains("2026-11-30 – 2026-12-06"), week);
        assertTrue(week.contains("from=2026-11-23") && week.contains("from=2026-12-07"), "previous and next weeks");
        assertTrue(week.contains("Layer: Daily") && week.contains("Effective on call") && week.contains("Overrides"));
        // 2026-12-01 is day 334 since 2026-01-01: even, so sato
        assertTrue(Pattern.compile("2026-12-01</time>.*?class=\"layer\"><span class=\"shift\">Hanako Sato <small>00:00–24:00",
                Pattern.DOTALL).matcher(week).find(), week);

        String month = given().header("Accept-Language", "en").queryParam("view", "month").queryParam("from", "2027-02-14")
                .get("/ui/schedules/" + scheduleId).then().statusCode(200).extract().asString();
        assertEquals(28, count(month, "<time datetime=\"2027-02-\\d\\d\">"));
        assertTrue(month.contains("view=month&amp;from=2027-01-01") && month.contains("view=month&amp;from=2027-03-01"));

        // bad queries: the page with a message and 400, unknown schedules 404, never 500
        given().queryParam("view", "year").get("/ui/schedules/" + scheduleId).then().statusCode(400)
                .body(containsString("must be week or month"));
        given().queryParam("from", "2026-13-45").get("/ui/schedules/" + scheduleId).then().statusCode(400)
                .body(containsString("is not a date"));
        given().get("/ui/schedules/" + java.util.UUID.randomUUID()).then().statusCode(404);
        given().get("/ui/schedules/not-an-id").then().statusCode(404);
    }

    @Test
    @Order(3)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void aResponderRequestsCoverAndBadInputOrAMissingTokenChangesNothing() {
        String page = "/ui/schedules/" + scheduleId;
        String token = csrf(page);
        given().cookie(CSRF_COOKIE, token).get(page).then().statusCode(200)
                .body(containsString("name=\"csrf\" value=\"" + token + "\""));
        long before = openRequests(covers);
        LocalDate day = satoDay();

        // no CSRF token: refused
        given().cookie(CSRF_COOKIE, token).contentType("application/x-www-form-urlencoded")
                .formParam("start", day + "T09:00").formParam("end", day + "T18:00")
                .post(page + "/cover-requests").then().statusCode(403);
        // bad input: the page again with the message, 400
        form(token)
                .formParam("start", "soon").formParam("end", day + "T18:00")
                .post(page + "/cover-requests").then().statusCode(400)
                .body(allOf(containsString("start: is not a date and time"), containsString("value=\"soon\"")));
        // a range in which sato is not on call: a domain rule, the page with the message
        form(token)
                .formParam("start", day.plusDays(1) + "T09:00").formParam("end", day.plusDays(1) + "T18:00")
                .post(page + "/cover-requests").then().statusCode(400)
                .body(containsString("not on call"));
        assertEquals(before, openRequests(covers), "nothing was created");

        form(token)
                .formParam("start", day + "T09:00").formParam("end", day + "T18:00").formParam("note", "dentist")
                .formParam("view", "week").formParam("from", day.toString())
                .redirects().follow(false)
                .post(page + "/cover-requests").then().statusCode(303)
                .header("Location", containsString(page + "?done=coverRequested&from=" + day));
        assertEquals(before + 1, openRequests(covers));
        given().header("Accept-Language", "en").queryParam("done", "coverRequested").get(page).then().statusCode(200)
                .body(allOf(containsString("Your cover request was sent"), containsString("dentist"),
                        containsString("Withdraw"), not(containsString("Take this cover"))));
    }

    @Test
    @Order(4)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewersForgedPostsAreRefused() {
        String page = "/ui/schedules/" + scheduleId;
        String token = csrf(page);
        long before = openRequests(covers);
        LocalDate day = satoDay();
        form(token)
                .formParam("start", day + "T09:00").formParam("end", day + "T10:00")
                .post(page + "/cover-requests").then().statusCode(403);
        String requestId = covers.list(java.util.UUID.fromString(scheduleId), "open").get(0).id().toString();
        form(token)
                .post(page + "/cover-requests/" + requestId + "/accept").then().statusCode(403);
        assertEquals(before, openRequests(covers));
    }

    @Test
    @Order(5)
    @TestSecurity(user = "suzuki", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "suzuki"))
    void anotherResponderAcceptsAndTheScheduleShowsTheOverride() {
        String page = "/ui/schedules/" + scheduleId;
        LocalDate day = satoDay();
        String html = given().header("Accept-Language", "ja").queryParam("from", day.toString()).get(page)
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("代理を引き受ける"), html);
        String token = csrf(page);
        String requestId = covers.list(java.util.UUID.fromString(scheduleId), "open").get(0).id().toString();
        form(token)
                .formParam("from", day.toString()).redirects().follow(false)
                .post(page + "/cover-requests/" + requestId + "/accept").then().statusCode(303)
                .header("Location", containsString("done=coverAccepted"));
        String after = given().header("Accept-Language", "en").queryParam("from", day.toString()).get(page)
                .then().statusCode(200).extract().asString();
        // the overrides column and the effective column show suzuki 09:00-18:00, the layer still sato
        assertTrue(after.contains("<span class=\"shift override\">Ichiro Suzuki <small>09:00–18:00</small> <small class=\"muted\">⇄ Hanako Sato"), after);
        assertTrue(Pattern.compile("class=\"effective\"><span class=\"shift\">Hanako Sato <small>00:00–09:00</small></span>\\s*"
                + "<span class=\"shift override\">Ichiro Suzuki <small>09:00–18:00</small></span>\\s*"
                + "<span class=\"shift\">Hanako Sato <small>18:00–24:00")
                .matcher(after).find(), after);
        // accepting twice is a domain conflict: the page with the message, 409
        form(token)
                .post(page + "/cover-requests/" + requestId + "/accept").then().statusCode(409)
                .body(containsString("not open"));
    }

    @Test
    @Order(6)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void myPageShowsUpcomingShiftsAndIssuesAWorkingCalendarLinkOnce() {
        given().header("Accept-Language", "ja").get("/ui/me").then().statusCode(200)
                .body(allOf(containsString("カレンダー購読"), containsString("今後の当番"), containsString("my-shift"),
                        containsString("/ui/settings/people/" + SATO), not(containsString("tbn_"))));
        String token = csrf("/ui/me");
        // post/redirect/get: the link travels in a one-time cookie, never in the URL
        io.restassured.response.Response posted = form(token).header("Accept-Language", "en").redirects().follow(false)
                .post("/ui/me/ical-link");
        assertEquals(303, posted.statusCode(), posted.asString());
        String location = posted.header("Location");
        assertTrue(location.endsWith("/ui/me") && !location.contains("tbn_"), location);
        String flash = posted.cookie("toban_flash_ical");
        satosFlash = flash;
        assertTrue(flash != null && !flash.contains("tbn_"), "sealed, not readable: " + flash);
        Response shown = given().header("Accept-Language", "en").cookie("toban_flash_ical", flash).get("/ui/me");
        assertEquals(200, shown.statusCode());
        String html = shown.asString();
        assertTrue(html.contains("shown only once") && html.contains("data-copy=\"ical-url\""), html);
        assertEquals("no-store", shown.header("Cache-Control"));
        assertTrue(shown.getDetailedCookie("toban_flash_ical").getMaxAge() == 0, "the flash is deleted once shown");
        Matcher url = Pattern.compile("value=\"https?://[^/\"]+(/ical/people/" + SATO + "\\.ics\\?token=tbn_[\\w-]+)\"").matcher(html);
        assertTrue(url.find(), html);
        given().get(url.group(1)).then().statusCode(200).body(containsString("BEGIN:VCALENDAR"));
        // reloading the page (the browser no longer has the flash) shows no link and makes none
        given().header("Accept-Language", "en").get("/ui/me").then().statusCode(200)
                .body(allOf(not(containsString("tbn_")), containsString("Create my calendar link")));
        given().get(url.group(1)).then().statusCode(200);
        // a tampered flash shows nothing
        given().cookie("toban_flash_ical", flash.substring(0, flash.length() - 4) + "AAAA").get("/ui/me").then()
                .statusCode(200).body(not(containsString("tbn_")));
        given().contentType("application/x-www-form-urlencoded").post("/ui/me/ical-link").then().statusCode(403);
    }

    @Test
    @Order(7)
    @TestSecurity(user = "suzuki", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "suzuki"))
    void anotherUsersFlashShowsNothing() {
        // the flash is sealed for sato: in suzuki's browser it shows nothing
        given().cookie("toban_flash_ical", satosFlash).get("/ui/me").then().statusCode(200)
                .body(not(containsString("tbn_")));
        String token = csrf("/ui/me");
        String suzukis = form(token).redirects().follow(false).post("/ui/me/ical-link").then().statusCode(303)
                .extract().cookie("toban_flash_ical");
        given().cookie("toban_flash_ical", suzukis).get("/ui/me").then().statusCode(200)
                .body(containsString("/ical/people/" + SUZUKI + ".ics?token=tbn_"));
    }

    @Test
    @Order(8)
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "sato"))
    void theFormFieldAloneIsAccepted() {
        String token = csrf("/ui/me");
        given().cookie(CSRF_COOKIE, token).contentType("application/x-www-form-urlencoded").formParam("csrf", token)
                .redirects().follow(false).post("/ui/me/ical-link").then().statusCode(303);
    }

    static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

}
