package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.team;
import static dev.toban.oncall.testing.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Overrides and cover/swap requests by the responders themselves (sato, suzuki), in the future. */
@QuarkusTest
class OverrideAndCoverTest {

    static final String SATO = DemoDataService.SATO.toString();
    static final String SUZUKI = DemoDataService.SUZUKI.toString();
    static final LocalDate START = LocalDate.of(2026, 1, 1);
    static BrokerProbe broker;

    @Inject
    DemoDataService demo;

    String scheduleId;

    @BeforeAll
    static void watch() {
        broker = new BrokerProbe("toban_test_oncall").watch("toban.oncall", "toban.oncall.#");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    /** A daily UTC rotation sato, suzuki from 2026-01-01: sato on even days since then. */
    @BeforeEach
    void schedule() {
        Fixtures.demo(demo);
        scheduleId = Fixtures.schedule(team(List.of(SATO, SUZUKI)), "server", "UTC",
                layer("Daily", 1, List.of(SATO, SUZUKI), 1, 1, "DAYS", "00:00", START.toString(), null));
    }

    /** The start of the n-th future day (from tomorrow) on which {@code sato} (true) or suzuki is on call. */
    static Instant dayOf(boolean sato, int n) {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(2);
        int found = 0;
        while (true) {
            boolean satoDay = ChronoUnit.DAYS.between(START, day) % 2 == 0;
            if (satoDay == sato && found++ == n) {
                return day.atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            day = day.plusDays(1);
        }
    }

    static String override(String person, String replaces, Instant start, Instant end) {
        return """
                {"personId":"%s","replacesPersonId":%s,"start":"%s","end":"%s","note":"dentist"}
                """.formatted(person, replaces == null ? "null" : "\"" + replaces + "\"", start, end);
    }

    @Test
    void aResponderGivesAwayTheirOwnShiftButCannotTakeSomeoneElses() {
        Instant day = dayOf(false, 0);
        String sato = token(KeycloakTokens.SATO);
        // suzuki's shift, and suzuki has not agreed: a cover request is the way
        given().auth().oauth2(sato).contentType(ContentType.JSON)
                .body(override(SATO, SUZUKI, day, day.plus(Duration.ofHours(6))))
                .post("/api/schedules/" + scheduleId + "/overrides").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("'Ichiro Suzuki' (whose shift it is) or an admin"))
                .body("detail", containsString("/api/cover-requests"));
        // suzuki gives it away to sato
        String id = given().auth().oauth2(token(KeycloakTokens.SUZUKI)).contentType(ContentType.JSON)
                .body(override(SATO, SUZUKI, day, day.plus(Duration.ofHours(6))))
                .post("/api/schedules/" + scheduleId + "/overrides").then().statusCode(201)
                .body("person.username", equalTo("sato"))
                .body("replacesPersonId", equalTo(SUZUKI))
                .body("createdBy", equalTo("suzuki"))
                .extract().path("id");
        given().auth().oauth2(token(KeycloakTokens.YAMADA)).contentType(ContentType.JSON)
                .body(override(SATO, SUZUKI, day, day.plus(Duration.ofHours(6))))
                .post("/api/schedules/" + scheduleId + "/overrides").then().statusCode(403);

        // the rendered shifts show the override with its provenance
        JsonPath shifts = given().auth().oauth2(sato).queryParam("from", day.toString())
                .queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .get("/api/schedules/" + scheduleId + "/shifts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("sato", "suzuki"), shifts.getList("shifts.person.username"));
        assertEquals("override", shifts.getString("shifts[0].source"));
        assertEquals(id, shifts.getString("shifts[0].overrideId"));
        assertEquals(day.plus(Duration.ofHours(6)).toString(), shifts.getString("shifts[1].start"));

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.override.created").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())
                        && "sato".equals(e.path("data").path("person").path("username").asText())));

        given().auth().oauth2(token(KeycloakTokens.TANAKA)).delete("/api/schedules/" + scheduleId + "/overrides/" + id)
                .then().statusCode(403);
        given().auth().oauth2(sato).delete("/api/schedules/" + scheduleId + "/overrides/" + id).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.override.deleted").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
    }

    @Test
    void takingTheWholeScheduleIsForAnAdminOrWhereNobodyElseIsOnCall() {
        Instant satoDay = dayOf(true, 5);
        Instant suzukiDay = dayOf(false, 5);
        String sato = token(KeycloakTokens.SATO);
        String url = "/api/schedules/" + scheduleId + "/overrides";
        String tanaka = DemoDataService.TANAKA.toString();
        // without replacesPersonId the override replaces everyone on call: on suzuki's day that is suzuki
        given().auth().oauth2(sato).contentType(ContentType.JSON)
                .body(override(SATO, null, suzukiDay.plus(Duration.ofHours(1)), suzukiDay.plus(Duration.ofHours(3))))
                .post(url).then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("would take the shift of 'Ichiro Suzuki'"))
                .body("detail", containsString("/api/cover-requests"));
        // on sato's own day nobody else's shift is taken
        given().auth().oauth2(sato).contentType(ContentType.JSON)
                .body(override(SATO, null, satoDay.plus(Duration.ofHours(1)), satoDay.plus(Duration.ofHours(3))))
                .post(url).then().statusCode(201);
        // putting someone else on call over the whole schedule is an admin's decision
        given().auth().oauth2(sato).contentType(ContentType.JSON)
                .body(override(tanaka, null, satoDay.plus(Duration.ofHours(4)), satoDay.plus(Duration.ofHours(5))))
                .post(url).then().statusCode(403);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(tanaka, null, suzukiDay.plus(Duration.ofHours(4)), suzukiDay.plus(Duration.ofHours(5))))
                .post(url).then().statusCode(201);
    }

    @Test
    void onlyAnAdminAcceptsACoverRequestOnBehalfOfSomeoneElse() {
        Instant day = dayOf(true, 6);
        String body = "{\"scheduleId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}";
        String first = given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON)
                .body(body.formatted(scheduleId, day, day.plus(Duration.ofHours(4))))
                .post("/api/cover-requests").then().statusCode(201).extract().path("id");
        // tanaka cannot sign suzuki up for sato's shift (before: accepted silently as tanaka)
        given().auth().oauth2(token(KeycloakTokens.TANAKA)).contentType(ContentType.JSON)
                .body("{\"personId\":\"" + SUZUKI + "\"}")
                .post("/api/cover-requests/" + first + "/accept").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(admin()).get("/api/cover-requests/" + first).then().statusCode(200)
                .body("status", equalTo("open"));
        // naming yourself is accepting as yourself
        given().auth().oauth2(token(KeycloakTokens.SUZUKI)).contentType(ContentType.JSON)
                .body("{\"personId\":\"" + SUZUKI + "\"}")
                .post("/api/cover-requests/" + first + "/accept").then().statusCode(200)
                .body("acceptedBy.username", equalTo("suzuki"));
        // an admin accepts on behalf of tanaka
        String second = given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON)
                .body(body.formatted(scheduleId, day.plus(Duration.ofHours(5)), day.plus(Duration.ofHours(8))))
                .post("/api/cover-requests").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"personId\":\"" + DemoDataService.TANAKA + "\"}")
                .post("/api/cover-requests/" + second + "/accept").then().statusCode(200)
                .body("acceptedBy.username", equalTo("tanaka"))
                .body("overrideId", notNullValue());
    }

    @Test
    void aNewOverrideChangesTheAnswerForAnInstantAskedBefore() {
        Instant day = dayOf(true, 3);
        String teamId = given().auth().oauth2(admin()).get("/api/schedules/" + scheduleId).then().extract().path("teamId");
        String at = day.plus(Duration.ofHours(12)).toString();
        given().auth().oauth2(admin()).queryParam("teamId", teamId).queryParam("at", at).get("/api/oncall")
                .then().statusCode(200).body("[0].onCall[0].person.username", equalTo("sato"))
                .body("[0].nextHandoff", equalTo(day.plus(Duration.ofDays(1)).toString()));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(DemoDataService.TANAKA.toString(), SATO, day.plus(Duration.ofHours(10)),
                        day.plus(Duration.ofHours(14))))
                .post("/api/schedules/" + scheduleId + "/overrides").then().statusCode(201);
        given().auth().oauth2(admin()).queryParam("teamId", teamId).queryParam("at", at).get("/api/oncall")
                .then().statusCode(200).body("[0].onCall[0].person.username", equalTo("tanaka"))
                .body("[0].onCall[0].until", equalTo(day.plus(Duration.ofHours(14)).toString()))
                .body("[0].nextHandoff", equalTo(day.plus(Duration.ofHours(14)).toString()));
        // a configuration change (the schedule now starts with suzuki) is seen at once too
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Fixtures.scheduleBody(teamId, "server", "UTC",
                        layer("Daily", 1, List.of(SUZUKI, SATO), 1, 1, "DAYS", "00:00", START.toString(), null)))
                .put("/api/schedules/" + scheduleId).then().statusCode(200);
        given().auth().oauth2(admin()).queryParam("teamId", teamId)
                .queryParam("at", day.plus(Duration.ofHours(16)).toString()).get("/api/oncall")
                .then().statusCode(200).body("[0].onCall[0].person.username", equalTo("suzuki"));
    }

    @Test
    void overlappingInvertedPastAndUnknownOverridesAreRejected() {
        Instant day = dayOf(false, 1);
        String url = "/api/schedules/" + scheduleId + "/overrides";
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(SATO, SUZUKI, day, day.plus(Duration.ofHours(6)))).post(url).then().statusCode(201);
        String tanaka = DemoDataService.TANAKA.toString();
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(tanaka, SUZUKI, day.plus(Duration.ofHours(5)), day.plus(Duration.ofHours(8))))
                .post(url).then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("start"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(tanaka, null, day.plus(Duration.ofHours(1)), day.plus(Duration.ofHours(2))))
                .post(url).then().statusCode(409).body("errors[0].field", equalTo("start"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(tanaka, SUZUKI, day.plus(Duration.ofHours(8)), day.plus(Duration.ofHours(7))))
                .post(url).then().statusCode(400).body("errors[0].field", equalTo("end"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(tanaka, SUZUKI, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-01-02T00:00:00Z")))
                .post(url).then().statusCode(400).body("errors[0].field", equalTo("end"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(java.util.UUID.randomUUID().toString(), null, day.plus(Duration.ofDays(3)),
                        day.plus(Duration.ofDays(4))))
                .post(url).then().statusCode(400).body("errors[0].field", equalTo("personId"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"personId\":\"" + tanaka + "\",\"start\":\"tomorrow\",\"end\":\"" + day + "\"}")
                .post(url).then().statusCode(400).body("errors[0].field", equalTo("start"));
        // replacing someone else at the same time is fine: both server slots can be covered at once
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(override(tanaka, SATO, day.plus(Duration.ofHours(5)), day.plus(Duration.ofHours(8))))
                .post(url).then().statusCode(201);
        given().auth().oauth2(admin()).queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .get(url).then().statusCode(200).body("", hasSize(2));
    }

    @Test
    void acceptingANamedCoverRequestCreatesTheOverrideAndTellsBothSides() {
        Instant day = dayOf(true, 0);
        String body = """
                {"scheduleId":"%s","targetPersonId":"%s","start":"%s","end":"%s","note":"Family event"}
                """.formatted(scheduleId, SUZUKI, day.plus(Duration.ofHours(9)), day.plus(Duration.ofHours(18)));
        String id = given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON).body(body)
                .post("/api/cover-requests").then().statusCode(201)
                .body("status", equalTo("open"))
                .body("kind", equalTo("cover"))
                .body("requester.username", equalTo("sato"))
                .body("target.username", equalTo("suzuki"))
                .extract().path("id");
        given().auth().oauth2(token(KeycloakTokens.TANAKA)).contentType(ContentType.JSON).body("{}")
                .post("/api/cover-requests/" + id + "/accept").then().statusCode(403);
        given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON).body("{}")
                .post("/api/cover-requests/" + id + "/accept").then().statusCode(400);
        String overrideId = given().auth().oauth2(token(KeycloakTokens.SUZUKI)).contentType(ContentType.JSON).body("{}")
                .post("/api/cover-requests/" + id + "/accept").then().statusCode(200)
                .body("status", equalTo("accepted"))
                .body("acceptedBy.username", equalTo("suzuki"))
                .body("overrideId", notNullValue())
                .extract().path("overrideId");
        given().auth().oauth2(token(KeycloakTokens.SUZUKI)).contentType(ContentType.JSON).body("{}")
                .post("/api/cover-requests/" + id + "/accept").then().statusCode(409);

        given().auth().oauth2(admin()).queryParam("teamId", given().auth().oauth2(admin())
                        .get("/api/schedules/" + scheduleId).then().extract().path("teamId").toString())
                .queryParam("at", day.plus(Duration.ofHours(12)).toString()).get("/api/oncall").then().statusCode(200)
                .body("[0].onCall[0].person.username", equalTo("suzuki"))
                .body("[0].onCall[0].source", equalTo("override"))
                .body("[0].onCall[0].overrideId", equalTo(overrideId));

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.cover.accepted").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
        JsonNode accepted = broker.received("toban.oncall.cover.accepted").stream()
                .filter(e -> id.equals(e.path("subject").asText())).findFirst().orElseThrow().path("data");
        assertEquals("sato", accepted.path("requester").path("username").asText());
        assertEquals("suzuki", accepted.path("acceptedBy").path("username").asText());
        assertEquals(overrideId, accepted.path("overrideId").asText());
        assertEquals("accepted", accepted.path("status").asText());
        assertEquals(scheduleId, accepted.path("schedule").path("id").asText());
        assertEquals("#team-test", accepted.path("team").path("slackChannel").asText());
        assertEquals(true, broker.received("toban.oncall.cover.requested").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
    }

    @Test
    void anOpenRequestCanBeWithdrawnAndOnlyYourOwnOnCallTimeCanBeOffered() {
        Instant satoDay = dayOf(true, 1);
        Instant suzukiDay = dayOf(false, 2);
        String sato = token(KeycloakTokens.SATO);
        given().auth().oauth2(sato).contentType(ContentType.JSON)
                .body("{\"scheduleId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}".formatted(scheduleId, suzukiDay,
                        suzukiDay.plus(Duration.ofHours(3))))
                .post("/api/cover-requests").then().statusCode(400).body("errors[0].field", equalTo("start"));
        given().auth().oauth2(sato).contentType(ContentType.JSON)
                .body("{\"scheduleId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}".formatted(scheduleId,
                        satoDay.plus(Duration.ofHours(3)), satoDay))
                .post("/api/cover-requests").then().statusCode(400).body("errors[0].field", equalTo("end"));
        String id = given().auth().oauth2(sato).contentType(ContentType.JSON)
                .body("{\"scheduleId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}".formatted(scheduleId, satoDay,
                        satoDay.plus(Duration.ofHours(3))))
                .post("/api/cover-requests").then().statusCode(201).body("target", org.hamcrest.Matchers.nullValue())
                .extract().path("id");
        given().auth().oauth2(token(KeycloakTokens.SUZUKI)).post("/api/cover-requests/" + id + "/cancel").then().statusCode(403);
        given().auth().oauth2(sato).post("/api/cover-requests/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        given().auth().oauth2(token(KeycloakTokens.TANAKA)).contentType(ContentType.JSON).body("{}")
                .post("/api/cover-requests/" + id + "/accept").then().statusCode(409);
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.cover.cancelled").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
        given().auth().oauth2(token(KeycloakTokens.YAMADA)).queryParam("scheduleId", scheduleId).queryParam("status", "open")
                .get("/api/cover-requests").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void twoColleaguesAcceptingAtOnceGetOneOverride() throws Exception {
        Instant day = dayOf(true, 4);
        String id = given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON)
                .body("{\"scheduleId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}".formatted(scheduleId, day,
                        day.plus(Duration.ofHours(8))))
                .post("/api/cover-requests").then().statusCode(201).extract().path("id");
        String suzuki = token(KeycloakTokens.SUZUKI);
        String tanaka = token(KeycloakTokens.TANAKA);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = List.of(suzuki, tanaka).stream()
                    .map(t -> pool.submit(() -> {
                        go.await();
                        return given().auth().oauth2(t).contentType(ContentType.JSON).body("{}")
                                .post("/api/cover-requests/" + id + "/accept").then().extract().statusCode();
                    })).toList();
            go.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : answers) {
                codes.add(f.get());
            }
            java.util.Collections.sort(codes);
            assertEquals(List.of(200, 409), codes);
        } finally {
            pool.shutdownNow();
        }
        given().auth().oauth2(admin()).queryParam("from", day.toString())
                .queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .get("/api/schedules/" + scheduleId + "/overrides").then().statusCode(200).body("", hasSize(1));
    }

    @Test
    void aSwapGivesEachSideTheOthersShift() {
        Instant satoDay = dayOf(true, 2);
        Instant suzukiDay = dayOf(false, 3);
        String id = given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON)
                .body("""
                        {"scheduleId":"%s","targetPersonId":"%s","start":"%s","end":"%s","swapStart":"%s","swapEnd":"%s"}
                        """.formatted(scheduleId, SUZUKI, satoDay, satoDay.plus(Duration.ofDays(1)), suzukiDay,
                        suzukiDay.plus(Duration.ofDays(1))))
                .post("/api/cover-requests").then().statusCode(201).body("kind", equalTo("swap")).extract().path("id");
        given().auth().oauth2(token(KeycloakTokens.SUZUKI)).contentType(ContentType.JSON).body("{}")
                .post("/api/cover-requests/" + id + "/accept").then().statusCode(200)
                .body("swapOverrideId", notNullValue());
        JsonPath a = given().auth().oauth2(admin()).queryParam("from", satoDay.toString())
                .queryParam("to", satoDay.plus(Duration.ofDays(1)).toString())
                .get("/api/schedules/" + scheduleId + "/shifts").then().extract().jsonPath();
        assertEquals(List.of("suzuki"), a.getList("shifts.person.username"));
        JsonPath b = given().auth().oauth2(admin()).queryParam("from", suzukiDay.toString())
                .queryParam("to", suzukiDay.plus(Duration.ofDays(1)).toString())
                .get("/api/schedules/" + scheduleId + "/shifts").then().extract().jsonPath();
        assertEquals(List.of("sato"), b.getList("shifts.person.username"));
    }
}
