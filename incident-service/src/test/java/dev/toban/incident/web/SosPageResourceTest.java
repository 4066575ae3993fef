package dev.toban.incident.web;

import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static dev.toban.incident.web.PageSupport.page;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SOS form: business staff (viewers) open an incident in plain words and learn who is on it. */
@QuarkusTest
class SosPageResourceTest {

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    @BeforeEach
    void freshSosLimit() {
        TestStack.forgetSosReports();
    }

    /**
     * A service whose policy has an answer from oncall-service cached (it is down in tests), so the SOS finds
     * its IC; the triage service of the demo data has none here.
     */
    static String serviceWithOnCall() {
        UUID policy = UUID.randomUUID();
        TestStack.cacheTargets(policy, 1, 1, 0, 15, TestStack.SATO);
        return TestStack.service("SOS page", policy)[0];
    }

    static long sosIncidents() {
        return TestStack.count("select count(*) from incident where source = 'sos'");
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void aViewerRaisesAnSosInJapaneseAndSeesWhoIsOnIt() {
        page("ja").get("/ui/sos").then().statusCode(200)
                .body(containsString("何が起きていますか"), containsString("15分ほど前から"),
                        containsString("影響を受けているユーザーの数は"), containsString("SOS を送る"));
        String location = form(csrf(), "ja")
                .formParam("what", "アプリで記事が読めません\n何度再読み込みしてもだめです")
                .formParam("since", "15m").formParam("affected", "many").formParam("service", serviceWithOnCall())
                .post("/ui/sos").then().statusCode(303).extract().header("Location");
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        assertEquals("sos", TestStack.single("select source from incident where id = ?", id));
        assertEquals("SOS: アプリで記事が読めません", TestStack.single("select title from incident where id = ?", id));
        assertEquals("影響を受けているユーザー: 多くのユーザー", // in the reporter's language
                TestStack.single("select impact from incident where id = ?", id));
        Instant started = ((java.time.OffsetDateTime) TestStack.single("select problem_started_at from incident where id = ?", id))
                .toInstant();
        assertTrue(Duration.between(started, Instant.now().minus(Duration.ofMinutes(15))).abs().toSeconds() < 60, started.toString());

        long number = ((Number) TestStack.single("select number from incident where id = ?", id)).longValue();
        // the IC is found after commit; the confirmation names them once known (the fragment refreshes until then)
        TestStack.awaitJson(dev.toban.plumbing.testing.KeycloakTokens.YAMADA, "/api/incidents/" + id,
                j -> j.get("commander") != null);
        String commander = "Hanako Sato";
        page("ja").get("/ui/sos/" + id).then().statusCode(200)
                .body(containsString("SOS を受け付けました"), containsString("#" + number),
                        containsString("いま対応している人"), containsString(commander),
                        containsString("/ui/incidents/" + id));
        page("en").get("/ui/sos/" + id + "/who").then().statusCode(200).body(containsString(commander));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void anEarlierStartIsReadInTheBrowsersZone() {
        LocalDateTime local = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).minusHours(3).truncatedTo(ChronoUnit.MINUTES);
        String location = form(csrf()).formParam("what", "Newsletter sent twice").formParam("since", "earlier")
                .formParam("startedAt", local.toString()).formParam("zone", "Asia/Tokyo").formParam("affected", "all")
                .post("/ui/sos").then().statusCode(303).extract().header("Location");
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        Instant started = ((java.time.OffsetDateTime) TestStack.single("select problem_started_at from incident where id = ?", id))
                .toInstant();
        assertEquals(local.atZone(ZoneId.of("Asia/Tokyo")).toInstant(), started);
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void badAnswersComeBackWithMessagesAndOpenNothing() {
        long before = sosIncidents();
        String token = csrf();
        form(token, "ja").formParam("what", "  ").formParam("since", "now")
                .formParam("affected", "few").post("/ui/sos").then().statusCode(400)
                .body(containsString("何が起きているかを書いてください"));
        form(token).formParam("what", "Broken").formParam("since", "earlier").formParam("startedAt", "yesterday")
                .formParam("affected", "few").post("/ui/sos").then().statusCode(400)
                .body(containsString("Please enter the date and time"), containsString(">Broken</textarea>"));
        form(token).formParam("what", "Broken").formParam("since", "earlier")
                .formParam("startedAt", LocalDateTime.now().plusDays(2).truncatedTo(ChronoUnit.MINUTES).toString())
                .formParam("zone", "UTC").formParam("affected", "few").post("/ui/sos").then().statusCode(400)
                .body(containsString("in the future"));
        form(token).formParam("what", "Broken").formParam("since", "sometime").formParam("affected", "lots")
                .formParam("service", "x").post("/ui/sos").then().statusCode(400)
                .body(containsString("Please choose since when"), containsString("how many users"),
                        containsString("choose a service from the list"));
        form(token).formParam("what", "Broken").formParam("since", "now").formParam("affected", "few")
                .formParam("service", UUID.randomUUID().toString()).post("/ui/sos").then().statusCode(400);
        form(token).formParam("what", "x".repeat(4001)).formParam("since", "now").formParam("affected", "few")
                .post("/ui/sos").then().statusCode(400);
        assertEquals(before, sosIncidents());
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void anArchivedServiceIsNotOfferedNorAccepted() {
        String id = TestStack.service("Archived SOS page", UUID.randomUUID())[0];
        TestStack.update("update integration_key set revoked_at = now() where service_id = ?", UUID.fromString(id));
        TestStack.update("update technical_service set archived_at = now() where id = ?", UUID.fromString(id));
        page("en").get("/ui/sos").then().statusCode(200).body(org.hamcrest.Matchers.not(containsString(id)));
        long before = sosIncidents();
        form(csrf()).formParam("what", "Archived").formParam("since", "now").formParam("affected", "few")
                .formParam("service", id).post("/ui/sos").then().statusCode(400)
                .body(containsString("choose a service from the list"));
        assertEquals(before, sosIncidents());
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void overTheLimitTheMessageIsBesideTheFormInThePagesLanguageAndTheTextStays() {
        String token = csrf();
        for (int i = 0; i < 3; i++) {
            form(token).formParam("what", "Report " + i).formParam("since", "now").formParam("affected", "few")
                    .post("/ui/sos").then().statusCode(303);
        }
        long before = sosIncidents();
        form(token, "ja").formParam("what", "まだ直りません\n二行目").formParam("since", "now").formParam("affected", "few")
                .post("/ui/sos").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body(containsString("id=\"sos-limited\""), containsString("SOS を 3 件受け付けているため"),
                        containsString(">まだ直りません\n二行目</textarea>"));
        form(token, "en").formParam("what", "Still broken").formParam("since", "now").formParam("affected", "few")
                .post("/ui/sos").then().statusCode(429)
                .body(containsString("You have already sent 3 SOS reports in the last 10 minutes"),
                        containsString(">Still broken</textarea>"));
        assertEquals(before, sosIncidents(), "nothing opened, nobody paged");
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void controlCharactersInTheDescriptionComeBackWithAMessage() {
        long before = sosIncidents();
        form(csrf()).formParam("what", "Broken\u0000 again").formParam("since", "now").formParam("affected", "few")
                .post("/ui/sos").then().statusCode(400).body(containsString("control characters"));
        assertEquals(before, sosIncidents());
    }

    static String token(String formHtml) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"token\" value=\"([A-Za-z0-9_-]+)\"")
                .matcher(formHtml);
        assertTrue(m.find(), formHtml);
        return m.group(1);
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void theSameFormSentTwiceOpensOneIncidentAndShowsItsConfirmationAgain() {
        String html = page("en").get("/ui/sos").then().statusCode(200).extract().asString();
        String token = token(html);
        assertTrue(!token.equals(token(page("en").get("/ui/sos").then().extract().asString())), "one token per form");
        long before = sosIncidents();
        String csrf = csrf();
        String first = form(csrf).formParam("what", "Paywall shows for subscribers").formParam("since", "now")
                .formParam("affected", "many").formParam("token", token).post("/ui/sos").then().statusCode(303)
                .extract().header("Location");
        // back, then submit again: the same token, so the first SOS's confirmation, and nobody paged twice
        String second = form(csrf).formParam("what", "Paywall shows for subscribers").formParam("since", "now")
                .formParam("affected", "many").formParam("token", token).post("/ui/sos").then().statusCode(303)
                .extract().header("Location");
        assertEquals(first, second);
        assertEquals(before + 1, sosIncidents());
        assertEquals(1L, TestStack.count("select count(*) from sos_report where reported_at > now() - interval '1 minute'"),
                "the second sending is not counted against the reporter's limit");
        // a new form has a new token: a new SOS
        form(csrf).formParam("what", "Paywall shows for subscribers").formParam("since", "now").formParam("affected", "many")
                .formParam("token", SosPageResourceTest.token(page("en").get("/ui/sos").then().extract().asString()))
                .post("/ui/sos").then().statusCode(303);
        assertEquals(before + 2, sosIncidents());
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void theSeverityFollowsHowManyUsersAreAffected() {
        String csrf = csrf();
        for (String[] answer : new String[][] {{"all", "SEV1"}, {"many", "SEV2"}, {"few", "SEV3"}, {"one", "SEV4"},
                {"unknown", "SEV3"}}) {
            TestStack.forgetSosReports();
            String location = form(csrf).formParam("what", "Severity " + answer[0]).formParam("since", "now")
                    .formParam("affected", answer[0]).post("/ui/sos").then().statusCode(303).extract().header("Location");
            UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
            assertEquals(answer[1], TestStack.single("select severity from incident where id = ?", id), answer[0]);
        }
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void theConfirmationNamesTheIcWithoutAReload() {
        String location = form(csrf()).formParam("what", "Login loops").formParam("since", "now")
                .formParam("affected", "few").formParam("service", serviceWithOnCall()).post("/ui/sos").then()
                .statusCode(303).extract().header("Location");
        // the very page the redirect shows, at once: the IC is named, nothing left to refresh
        String html = page("en").get(location.substring(location.indexOf("/ui/"))).then().statusCode(200)
                .extract().asString();
        assertTrue(html.contains("id=\"looking-into-it\">Hanako Sato"), html);
        assertTrue(!html.contains("data-refresh=\"/ui/sos/"), "no polling once the IC is known");
    }
}
