package dev.toban.oncall.testing;

import static io.restassured.RestAssured.given;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Test data through the real API, plus the demo organisation (whose people are the Keycloak users). */
public final class Fixtures {

    private Fixtures() {
    }

    public static String admin() {
        return KeycloakTokens.of(KeycloakTokens.ADMIN);
    }

    public static String token(String user) {
        return KeycloakTokens.of(user);
    }

    /** Demo people (sato, suzuki, tanaka, yamada, admin, ...), teams, schedules and policies; idempotent. */
    public static void demo(DemoDataService demo) {
        QuarkusTransaction.requiringNew().call(demo::createIfAbsent);
    }

    public static String uniq(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A person without a login; returns the id. */
    public static String person(String name) {
        String username = uniq(name.toLowerCase().replace(' ', '.'));
        return given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("""
                        {"name":"%s","username":"%s","email":"%s@toban.example","timeZone":"Asia/Tokyo","locale":"en"}
                        """.formatted(name, username, username))
                .post("/api/people").then().statusCode(201).extract().path("id");
    }

    public static String team(List<String> members) {
        String ids = members.stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(","));
        return given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("""
                        {"name":"%s","slackChannel":"#team-test","timeZone":"Asia/Tokyo","memberIds":[%s]}
                        """.formatted(uniq("Team"), ids))
                .post("/api/teams").then().statusCode(201).extract().path("id");
    }

    /** One layer; {@code unit} HOURS, DAYS or WEEKS. */
    public static String layer(String name, int level, List<String> participants, int slots, int amount, String unit,
                               String handoff, String startDate, String restrictions) {
        String ids = participants.stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(","));
        return """
                {"name":"%s","level":%d,"participantIds":[%s],"slots":%d,"shiftLength":{"amount":%d,"unit":"%s"},
                 "handoffTime":"%s","startDate":"%s","restrictions":%s}
                """.formatted(name, level, ids, slots, amount, unit, handoff, startDate,
                restrictions == null ? "[]" : restrictions);
    }

    public static String scheduleBody(String teamId, String role, String zone, String... layers) {
        return """
                {"teamId":"%s","name":"%s","role":"%s","timeZone":"%s","layers":[%s]}
                """.formatted(teamId, uniq("Schedule"), role, zone, String.join(",", layers));
    }

    public static String schedule(String teamId, String role, String zone, String... layers) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(scheduleBody(teamId, role, zone, layers))
                .post("/api/schedules").then().statusCode(201).extract().path("id");
    }
}
