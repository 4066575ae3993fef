package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.person;
import static dev.toban.oncall.testing.Fixtures.scheduleBody;
import static dev.toban.oncall.testing.Fixtures.team;
import static dev.toban.oncall.testing.Fixtures.uniq;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.toban.oncall.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Text and instants from outside: a NUL or a lone surrogate in any body, a line break in a name or a
 * title, an instant PostgreSQL cannot hold in a query. Each is a 400 problem naming the field (issue 15;
 * a NUL used to be a 500 from PostgreSQL and a lone surrogate was stored as "?").
 */
@QuarkusTest
class BadInputTest {

    static final String NUL = "\\u0000";
    static final String LONE = "\\ud800";

    static ValidatableResponse post(String path, String body) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(path).then()
                .statusCode(400).contentType("application/problem+json");
    }

    static String teamBody(String name) {
        return "{\"name\":\"" + name + "\",\"timeZone\":\"UTC\"}";
    }

    static String personBody(String name, String label) {
        return """
                {"name":"%s","username":"%s","timeZone":"UTC","locale":"en",
                 "contactMethods":[{"type":"email","address":"x@toban.example","label":"%s"}]}
                """.formatted(name, uniq("bad"), label);
    }

    static String policyBody(String name, String target) {
        return """
                {"name":"%s","levels":[{"delayMinutes":10,"targets":[{"type":"person","id":"%s"}]}]}
                """.formatted(name, target);
    }

    @Test
    void aNulInATeamPersonPolicyOrOverrideBodyIsA400NamingTheField() {
        post("/api/teams", teamBody("Bad" + NUL + "Team")).body("errors[0].field", equalTo("name"));
        post("/api/people", personBody("Bad" + NUL, "ok")).body("errors[0].field", equalTo("name"));
        post("/api/people", personBody("Fine", "la" + NUL + "bel")).body("errors[0].field", equalTo("contactMethods[0].label"));
        String target = person("Nul Target");
        post("/api/escalation-policies", policyBody("Bad" + NUL, target)).body("errors[0].field", equalTo("name"));
        String scheduleId = Fixtures.schedule(team(List.of(target)), "server", "UTC",
                layer("L", 1, List.of(target), 1, 1, "WEEKS", "10:00", "2026-01-05", null));
        Instant start = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        post("/api/schedules/" + scheduleId + "/overrides", """
                {"personId":"%s","start":"%s","end":"%s","note":"dentist%s"}
                """.formatted(target, start, start.plus(Duration.ofHours(1)), NUL))
                .body("errors[0].field", equalTo("note"))
                .body("errors[0].message", containsString("control character"));
    }

    @Test
    void aLoneSurrogateIsA400() {
        post("/api/teams", teamBody("Bad" + LONE)).body("errors[0].field", equalTo("name"))
                .body("errors[0].message", containsString("unpaired surrogate"));
        post("/api/people", personBody("Bad" + LONE, "ok")).body("errors[0].field", equalTo("name"));
        // a pair is a character like any other
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(teamBody(uniq("Team \\ud83d\\udea8")))
                .post("/api/teams").then().statusCode(201);
    }

    @Test
    void namesAndTitlesAreOneLine() {
        String line = "\\n";
        post("/api/teams", teamBody("Two" + line + "Lines")).body("errors[0].field", equalTo("name"))
                .body("errors[0].message", containsString("single line"));
        post("/api/people", personBody("Two" + line + "Lines", "ok")).body("errors[0].field", equalTo("name"));
        post("/api/people", personBody("Fine", "Tab\\tbed")).body("errors[0].field", equalTo("contactMethods[0].label"));
        String target = person("Line Target");
        post("/api/escalation-policies", policyBody("Two" + line + "Lines", target)).body("errors[0].field", equalTo("name"));
        String teamId = team(List.of(target));
        String good = layer("L", 1, List.of(target), 1, 1, "WEEKS", "10:00", "2026-01-05", null);
        post("/api/schedules", scheduleBody(teamId, "server", "UTC", good).replaceFirst("\"name\":\"[^\"]*\"",
                java.util.regex.Matcher.quoteReplacement("\"name\":\"Two" + line + "Lines\"")))
                .body("errors[0].field", equalTo("name"));
        post("/api/schedules", scheduleBody(teamId, "server", "UTC", good.replace("\"L\"", "\"Two" + line + "Lines\"")))
                .body("errors[0].field", equalTo("layers[0].name"));
        // descriptions and notes may span lines
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, "server", "UTC", good)
                        .replace("\"layers\"", "\"description\":\"a" + line + "b\",\"layers\""))
                .post("/api/schedules").then().statusCode(201);
    }

    @Test
    void aBooleanParameterIsTrueOrFalse() {
        for (String path : List.of("/api/teams", "/api/people", "/api/schedules", "/api/escalation-policies")) {
            given().auth().oauth2(admin()).queryParam("includeArchived", "maybe").get(path).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("includeArchived"));
            given().auth().oauth2(admin()).queryParam("includeArchived", "TRUE").get(path).then().statusCode(200);
        }
    }

    @Test
    void anInstantOutOfRangeIsA400NamingAt() {
        for (String path : List.of("/api/oncall", "/api/oncall/now")) {
            given().auth().oauth2(admin()).queryParam("at", "+999999999-12-31T23:59:59Z").get(path).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("at"));
        }
        given().auth().oauth2(admin()).queryParam("at", "0001-01-01T00:00:00Z").get("/api/oncall/now").then()
                .statusCode(400).body("errors[0].field", equalTo("at"));
        given().auth().oauth2(admin()).queryParam("level", 1).queryParam("at", "+999999999-12-31T23:59:59Z")
                .get("/api/escalation-policies/" + UUID.randomUUID() + "/targets").then()
                .statusCode(400).body("errors[0].field", equalTo("at"));
    }
}
