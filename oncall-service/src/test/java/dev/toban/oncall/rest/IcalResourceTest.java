package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.person;
import static dev.toban.oncall.testing.Fixtures.team;
import static dev.toban.oncall.testing.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IcalResourceTest {

    @Inject
    DemoDataService demo;

    @BeforeEach
    void demoData() {
        Fixtures.demo(demo);
    }

    static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getPath() + "?" + uri.getQuery();
    }

    static List<String> uids(String ics) throws Exception {
        Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
        return calendar.<VEvent>getComponents("VEVENT").stream()
                .map(e -> e.getUid().orElseThrow().getValue()).toList();
    }

    @Test
    void aScheduleFeedIsAnRfc5545CalendarWithStableUidsBehindARevocableToken() throws Exception {
        String a = person("Jun Feed");
        String b = person("Kei Feed");
        String id = Fixtures.schedule(team(List.of(a, b)), "server", "Asia/Tokyo",
                layer("Daily", 1, List.of(a, b), 1, 1, "DAYS", "10:00", LocalDate.now().minusDays(3).toString(), null));
        String url = given().auth().oauth2(token(KeycloakTokens.YAMADA)).post("/api/schedules/" + id + "/ical-token")
                .then().statusCode(201).extract().path("url");
        String ics = given().get(pathOf(url)).then().statusCode(200)
                .contentType(startsWith("text/calendar"))
                .body(containsString("BEGIN:VCALENDAR"))
                .body(containsString("VERSION:2.0"))
                .body(containsString("PRODID:-//Toban//oncall-service//EN"))
                .body(containsString("BEGIN:VEVENT"))
                .body(containsString("Jun Feed"))
                .extract().asString();
        List<String> first = uids(ics);
        assertTrue(first.size() > 30, "a month back and six months ahead of daily shifts");
        assertEquals(first.size(), first.stream().distinct().count(), "unique UIDs");
        List<String> again = uids(given().get(pathOf(url)).then().statusCode(200).extract().asString());
        assertEquals(first, again, "the same UIDs on every fetch");

        given().get(pathOf(url).replaceAll("token=[^&]+", "token=wrong")).then().statusCode(404);
        given().get("/ical/schedules/" + id + ".ics").then().statusCode(404);
        // a new link replaces the old one; revoking ends it
        String second = given().auth().oauth2(token(KeycloakTokens.YAMADA)).post("/api/schedules/" + id + "/ical-token")
                .then().statusCode(201).extract().path("url");
        given().get(pathOf(url)).then().statusCode(404);
        given().get(pathOf(second)).then().statusCode(200);
        given().auth().oauth2(token(KeycloakTokens.YAMADA)).delete("/api/schedules/" + id + "/ical-token")
                .then().statusCode(200);
        given().get(pathOf(second)).then().statusCode(404);
    }

    @Test
    void aPersonalFeedShowsOnlyThatPersonsShiftsAndOnlyTheyOrAnAdminMaySubscribe() throws Exception {
        String sato = DemoDataService.SATO.toString();
        given().auth().oauth2(token(KeycloakTokens.SUZUKI)).post("/api/people/" + sato + "/ical-token")
                .then().statusCode(403);
        String url = given().auth().oauth2(token(KeycloakTokens.SATO)).post("/api/people/" + sato + "/ical-token")
                .then().statusCode(201).extract().path("url");
        String ics = given().get(pathOf(url)).then().statusCode(200).extract().asString();
        assertTrue(ics.contains("Hanako Sato"));
        assertTrue(!ics.contains("Ichiro Suzuki"), "only sato's own shifts");
        assertTrue(uids(ics).size() > 0);
        given().auth().oauth2(admin()).delete("/api/people/" + sato + "/ical-token?all=true").then().statusCode(200);
        given().get(pathOf(url)).then().statusCode(404);
    }
}
