package dev.toban.oncall.web;

import static dev.toban.oncall.web.PageTests.assertNoVisibleId;
import static dev.toban.oncall.web.PageTests.csrf;
import static dev.toban.oncall.web.PageTests.errorAfter;
import static dev.toban.oncall.web.PageTests.form;
import static dev.toban.oncall.web.PageTests.fresh;
import static dev.toban.oncall.web.PageTests.idFrom;
import static dev.toban.oncall.web.PageTests.visible;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.schedule.OverrideService;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.oncall.schedule.ScheduleService.ScheduleView;
import dev.toban.oncall.testing.Fixtures;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The schedule settings pages: a preview of the next four weeks from the unsaved form (nothing written),
 * members in the order of their numbers, a restriction preset, save, edit, refused input kept with the
 * problem next to the field (also when blank rows shift the service's numbering), overrides added and
 * removed, and a viewer refused.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleSettingsPagesTest {

    static final String SCHEDULES = "/ui/settings/schedules";
    static final String SATO = DemoDataService.SATO.toString();
    static final String SUZUKI = DemoDataService.SUZUKI.toString();
    static String teamId;
    static String scheduleId;
    static String name;

    @Inject
    ScheduleService schedules;

    @Inject
    OverrideService overrides;

    @BeforeAll
    static void demo() {
        io.restassured.RestAssured.port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
        teamId = Fixtures.team(List.of(SATO, SUZUKI));
        name = Fixtures.uniq("Payments rota");
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    /**
     * The schedule form with one weekly layer in which suzuki is typed first but numbered 2, sato numbered 1;
     * {@code changes} replace or add fields (name, value, name, value...).
     */
    static RequestSpecification schedule(String token, String op, String... changes) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("op", op);
        fields.put("teamId", teamId);
        fields.put("name", name);
        fields.put("role", "payments");
        fields.put("timeZone", "UTC");
        fields.put("description", "");
        fields.put("layers[0].id", "");
        fields.put("layers[0].name", "Weekly");
        fields.put("layers[0].level", "1");
        fields.put("layers[0].slots", "1");
        fields.put("layers[0].shiftLength.amount", "1");
        fields.put("layers[0].shiftLength.unit", "WEEKS");
        fields.put("layers[0].handoffTime", "00:00");
        fields.put("layers[0].startDate", today());
        fields.put("layers[0].participantIds[0]", SUZUKI);
        fields.put("layers[0].participantOrder[0]", "2");
        fields.put("layers[0].participantIds[1]", SATO);
        fields.put("layers[0].participantOrder[1]", "1");
        fields.put("layers[0].participantIds[2]", "");
        fields.put("layers[0].participantOrder[2]", "3");
        for (int i = 0; i + 1 < changes.length; i += 2) {
            fields.put(changes[i], changes[i + 1]);
        }
        return form(token).formParams(fields);
    }

    @Test
    @Order(1)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void thePreviewRendersTheNextFourWeeksOfTheUnsavedFormAndWritesNothing() {
        given().header("Accept-Language", "ja").get(SCHEDULES + "/new").then().statusCode(200)
                .body(allOf(containsString("今後4週間をプレビュー"), containsString("name=\"layers[0].participantIds[0]\""),
                        containsString("name=\"layers[0].participantOrder[0]\""), containsString("data-move=\"up\""),
                        containsString("営業時間 (月〜金 10:00–19:00)")));
        int before = fresh(() -> schedules.list(null, null, true)).size();
        String token = csrf(SCHEDULES + "/new");
        String html = schedule(token, "preview").header("Accept-Language", "en").post(SCHEDULES).then().statusCode(200)
                .extract().asString();
        assertEquals(before, fresh(() -> schedules.list(null, null, true)).size(), "a preview writes nothing");
        assertTrue(html.contains("Preview: the next 4 weeks (not saved)"), html);
        List<String> rows = rows(html);
        assertTrue(rows.size() >= 4 && rows.size() <= 5, rows.toString());
        // numbered 1, sato takes the first week although typed second; then they alternate weekly
        assertTrue(rows.get(0).contains("Hanako Sato"), rows.toString());
        assertTrue(rows.get(1).contains("Ichiro Suzuki"), rows.toString());
        assertTrue(rows.get(2).contains("Hanako Sato"), rows.toString());
        // the form is shown again as typed
        assertTrue(html.contains("value=\"" + name + "\"") && html.contains("value=\"payments\""), html);
        assertNoVisibleId(html);
    }

    @Test
    @Order(2)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void badInputIsRefusedKeepingTheTextWithTheProblemNextToTheField() {
        int before = fresh(() -> schedules.list(null, null, true)).size();
        String token = csrf(SCHEDULES + "/new");
        String html = schedule(token, "save", "layers[0].handoffTime", "25:99").header("Accept-Language", "ja")
                .post(SCHEDULES).then().statusCode(400).extract().asString();
        assertEquals("時刻 (HH:MM) を入力してください。", errorAfter(html, "layers[0].handoffTime"));
        assertTrue(html.contains("value=\"25:99\""), "the typed text is kept");

        // two layers with one level, a blank layer between them: the service's layers[1] is the form's layers[2]
        html = schedule(token, "save", "role", "Pay ments").header("Accept-Language", "ja")
                .formParam("layers[1].id", "").formParam("layers[1].name", "").formParam("layers[1].level", "2")
                .formParam("layers[1].participantIds[0]", "")
                .formParam("layers[2].id", "").formParam("layers[2].name", "Office").formParam("layers[2].level", "1")
                .formParam("layers[2].slots", "1").formParam("layers[2].shiftLength.amount", "1")
                .formParam("layers[2].shiftLength.unit", "DAYS").formParam("layers[2].handoffTime", "10:00")
                .formParam("layers[2].startDate", today())
                .formParam("layers[2].participantIds[0]", SATO).formParam("layers[2].participantOrder[0]", "1")
                .post(SCHEDULES).then().statusCode(400).extract().asString();
        assertEquals("server のように、英小文字、数字、- または _ で入力してください。", errorAfter(html, "role"));
        assertTrue(html.contains("value=\"Pay ments\"") && html.contains("value=\"Office\""), html);
        html = schedule(token, "save").header("Accept-Language", "ja")
                .formParam("layers[1].id", "").formParam("layers[1].name", "").formParam("layers[1].level", "2")
                .formParam("layers[1].participantIds[0]", "")
                .formParam("layers[2].id", "").formParam("layers[2].name", "Office").formParam("layers[2].level", "1")
                .formParam("layers[2].slots", "1").formParam("layers[2].shiftLength.amount", "1")
                .formParam("layers[2].shiftLength.unit", "DAYS").formParam("layers[2].handoffTime", "10:00")
                .formParam("layers[2].startDate", today())
                .formParam("layers[2].participantIds[0]", SATO).formParam("layers[2].participantOrder[0]", "1")
                .post(SCHEDULES).then().statusCode(400).extract().asString();
        assertEquals("ほかのレイヤーと同じレベルです。レイヤーごとに別のレベルにしてください。", errorAfter(html, "layers[2].level"));
        assertFalse(visible(html).matches(".*\\b(must|is not)\\b.*"), "no English on a Japanese page: " + visible(html));
        assertEquals(before, fresh(() -> schedules.list(null, null, true)).size(), "nothing was created");
    }

    @Test
    @Order(3)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminSavesWithOfficeHoursThenEdits() {
        String token = csrf(SCHEDULES + "/new");
        String location = schedule(token, "save", "layers[0].restrictions[0].preset", "office")
                .post(SCHEDULES).then().statusCode(303).extract().header("Location");
        assertTrue(location.contains("done=created"), location);
        scheduleId = idFrom(location);
        ScheduleView saved = fresh(() -> schedules.get(UUID.fromString(scheduleId)));
        assertEquals(List.of(DemoDataService.SATO, DemoDataService.SUZUKI), saved.layers().get(0).participantIds());
        ScheduleService.RestrictionView office = saved.layers().get(0).restrictions().get(0);
        assertEquals(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Set.copyOf(office.daysOfWeek()));
        assertEquals(LocalTime.of(10, 0), office.start());
        assertEquals(LocalTime.of(19, 0), office.end());
        String html = given().header("Accept-Language", "en").get(location).then().statusCode(200)
                .body(allOf(containsString("Created."), containsString("value=\"" + name + "\""),
                        containsString("href=\"/ui/schedules/" + scheduleId + "\"")))
                .extract().asString();
        assertNoVisibleId(html);

        // edit: rename, remove the restriction, swap the order
        String layerId = saved.layers().get(0).id().toString();
        location = schedule(csrf(SCHEDULES + "/" + scheduleId), "save", "name", name + " v2", "layers[0].id", layerId,
                "layers[0].participantOrder[0]", "1", "layers[0].participantOrder[1]", "2")
                .formParam("layers[0].restrictions[0].daysOfWeek", "MONDAY")
                .formParam("layers[0].restrictions[0].start", "10:00").formParam("layers[0].restrictions[0].end", "19:00")
                .formParam("layers[0].restrictions[0].remove", "1")
                .post(SCHEDULES + "/" + scheduleId).then().statusCode(303).extract().header("Location");
        assertTrue(location.endsWith(scheduleId + "?done=saved"), location);
        saved = fresh(() -> schedules.get(UUID.fromString(scheduleId)));
        assertEquals(name + " v2", saved.name());
        assertEquals(UUID.fromString(layerId), saved.layers().get(0).id(), "the same layer");
        assertEquals(List.of(DemoDataService.SUZUKI, DemoDataService.SATO), saved.layers().get(0).participantIds());
        assertTrue(saved.layers().get(0).restrictions().isEmpty());
    }

    @Test
    @Order(4)
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void anAdminAddsAndRemovesAnOverride() {
        String page = SCHEDULES + "/" + scheduleId;
        String token = csrf(page);
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        String html = form(token).header("Accept-Language", "ja").formParam("personId", SATO)
                .formParam("replacesPersonId", SUZUKI).formParam("start", tomorrow + "T18:00")
                .formParam("end", tomorrow + "T09:00").formParam("note", "夜間")
                .post(page + "/overrides").then().statusCode(400).extract().asString();
        assertEquals("開始より後にしてください。", errorAfter(html, "end"));
        assertTrue(html.contains("value=\"" + tomorrow + "T18:00\"") && html.contains("value=\"夜間\""), html);

        form(token).formParam("personId", SATO).formParam("replacesPersonId", SUZUKI)
                .formParam("start", tomorrow + "T09:00").formParam("end", tomorrow + "T18:00").formParam("note", "dentist")
                .post(page + "/overrides").then().statusCode(303).header("Location", containsString("done=overrideAdded"));
        Instant now = Instant.now();
        List<OverrideService.OverrideView> list = fresh(() -> overrides.list(UUID.fromString(scheduleId), now, now.plusSeconds(3 * 86400)));
        assertEquals(1, list.size());
        html = given().header("Accept-Language", "en").get(page).then().statusCode(200)
                .body(allOf(containsString("dentist"), containsString(tomorrow + " 09:00 – " + tomorrow + " 18:00")))
                .extract().asString();
        assertNoVisibleId(html);
        form(token).post(page + "/overrides/" + list.get(0).id() + "/remove").then().statusCode(303)
                .header("Location", containsString("done=overrideRemoved"));
        assertTrue(fresh(() -> overrides.list(UUID.fromString(scheduleId), now, now.plusSeconds(3 * 86400))).isEmpty());
    }

    @Test
    @Order(5)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void aViewerReadsButIsRefusedEveryChange() {
        String page = SCHEDULES + "/" + scheduleId;
        given().header("Accept-Language", "en").get(page).then().statusCode(200)
                .body(allOf(containsString("<fieldset disabled>"), not(containsString("name=\"op\"")),
                        not(containsString("class=\"add-override\""))));
        given().get(SCHEDULES + "/new").then().statusCode(403);
        String token = csrf(SCHEDULES);
        schedule(token, "preview").post(SCHEDULES).then().statusCode(403);
        schedule(token, "save", "name", "Hacked").post(page).then().statusCode(403);
        form(token).formParam("personId", SATO).formParam("start", "2030-01-01T00:00").formParam("end", "2030-01-02T00:00")
                .post(page + "/overrides").then().statusCode(403);
        assertTrue(fresh(() -> schedules.get(UUID.fromString(scheduleId))).name().endsWith(" v2"));
    }

    static List<String> rows(String html) {
        Matcher m = Pattern.compile("(?s)<tr class=\"preview-row\">(.*?)</tr>").matcher(html);
        List<String> rows = new java.util.ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }
}
