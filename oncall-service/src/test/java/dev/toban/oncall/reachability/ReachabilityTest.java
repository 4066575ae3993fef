package dev.toban.oncall.reachability;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.team;
import static dev.toban.oncall.testing.Fixtures.token;
import static dev.toban.oncall.testing.Fixtures.uniq;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.handoff.HandoffService;
import dev.toban.oncall.people.ContactVerificationService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.oncall.testing.Outboxed;
import dev.toban.oncall.testing.TestClock;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's reachability check: someone on call now or within 7 days without a verified sms, voice or push
 * method used for high-urgency pages is listed by GET /api/oncall/unreachable and flagged once
 * (toban.oncall.reachability.flagged); verifying a waking method clears it, losing it flags again; the shift
 * events say whether the person is reachable.
 */
@QuarkusTest
class ReachabilityTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Inject
    HandoffService handoffs;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    final List<String> schedules = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        clock.reset();
        for (String id : schedules) {
            given().auth().oauth2(admin()).delete("/api/schedules/" + id).then().statusCode(204);
        }
    }

    /** A schedule where {@code person} alone is on call, every day from {@code start} (10:00 Tokyo). */
    String onCallFrom(String person, LocalDate start) {
        String id = Fixtures.schedule(team(List.of(person)), "server", "Asia/Tokyo",
                layer("Daily", 1, List.of(person), 1, 1, "DAYS", "10:00", start.toString(), null));
        schedules.add(id);
        return id;
    }

    static String personBody(String name, String username, String methods, String rules) {
        return """
                {"name":"%s","username":"%s","email":"%s@toban.example","timeZone":"Asia/Tokyo","locale":"ja",
                 "contactMethods":%s,"notificationRules":%s}
                """.formatted(name, username, username, methods, rules);
    }

    /** A person with one {@code type} method used by a rule for {@code urgency} pages, verified or not. */
    static Map<String, String> personWithMethod(String name, String type, String address, String urgency,
                                                boolean verified) {
        String username = uniq("reach");
        UUID method = UUID.randomUUID();
        String id = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(name, username, "[{\"id\":\"%s\",\"type\":\"%s\",\"address\":\"%s\"}]"
                                .formatted(method, type, address),
                        "[{\"contactMethodId\":\"%s\",\"delayMinutes\":0,\"urgency\":\"%s\"}]".formatted(method, urgency)))
                .post("/api/people").then().statusCode(201).extract().path("id");
        if (verified) {
            verify(id, method);
        }
        return Map.of("id", id, "username", username, "method", method.toString(), "name", name);
    }

    static void verify(String person, UUID method) {
        verify(person, method.toString());
    }

    static void verify(String person, String method) {
        String base = "/api/people/" + person + "/contact-methods/" + method;
        given().auth().oauth2(admin()).post(base + "/verification").then().statusCode(202);
        String code = Outboxed.last(ContactVerificationService.VERIFICATION_REQUESTED, person).path("code").asText();
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"code\":\"" + code + "\"}")
                .post(base + "/verify").then().statusCode(200);
    }

    static JsonPath unreachable() {
        return given().auth().oauth2(token(KeycloakTokens.YAMADA)).get("/api/oncall/unreachable").then()
                .statusCode(200).extract().jsonPath();
    }

    static Map<String, Object> entryOf(JsonPath list, String personId) {
        List<Map<String, Object>> all = list.getList("$");
        return all.stream().filter(e -> personId.equals(((Map<?, ?>) e.get("person")).get("id"))).findFirst().orElse(null);
    }

    long flagRows(String personId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from reachability_flag where person_id = ?1").setParameter(1, UUID.fromString(personId))
                .getSingleResult()).longValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void someoneOnCallWithoutAWakingMethodIsListedAndFlaggedOnceUntilTheyVerifyOne() {
        LocalDate today = LocalDate.now(TOKYO);
        Map<String, String> nao = personWithMethod("Nao Reach", "sms", "+819087870001", "high", false);
        String id = nao.get("id");
        String schedule = onCallFrom(id, today.minusDays(3));

        Map<String, Object> entry = entryOf(unreachable(), id);
        assertTrue(entry != null, "an unverified SMS does not count: listed");
        assertEquals("no_verified_waking_method", entry.get("reason"));
        assertEquals(nao.get("username"), ((Map<?, ?>) entry.get("person")).get("username"));
        assertEquals("Nao Reach", ((Map<?, ?>) entry.get("person")).get("name"));
        List<Map<String, Object>> shifts = (List<Map<String, Object>>) entry.get("shifts");
        assertEquals(schedule, shifts.get(0).get("scheduleId"));
        assertTrue(((String) shifts.get(0).get("scheduleName")).startsWith("Schedule-"));
        Instant start = Instant.parse((String) shifts.get(0).get("start"));
        Instant end = Instant.parse((String) shifts.get(0).get("end"));
        assertTrue(start.isBefore(Instant.now()) && end.isAfter(Instant.now().plusSeconds(6 * 86400)), start + " " + end);

        // however often the tick runs, one message
        handoffs.tick(null);
        handoffs.tick(null);
        List<JsonNode> flagged = Outboxed.data(ReachabilityService.FLAGGED, id);
        assertEquals(1, flagged.size());
        assertEquals(id, flagged.get(0).path("person").path("id").asText());
        assertEquals("ja", flagged.get(0).path("person").path("locale").asText());
        assertEquals(schedule, flagged.get(0).path("shifts").get(0).path("scheduleId").asText());
        assertTrue(flagged.get(0).path("shifts").get(0).has("scheduleName"));
        assertEquals("no_verified_waking_method", flagged.get(0).path("reason").asText());
        assertEquals(1, flagRows(id));

        // verified: reachable, the flag is forgotten
        verify(id, nao.get("method"));
        assertTrue(entryOf(unreachable(), id) == null, "reachable once the SMS is verified");
        handoffs.tick(null);
        assertEquals(0, flagRows(id));
        assertEquals(1, Outboxed.data(ReachabilityService.FLAGGED, id).size());

        // the rule now only for low-urgency pages: nothing wakes them at night any more, flagged again
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody("Nao Reach", nao.get("username"),
                        "[{\"id\":\"%s\",\"type\":\"sms\",\"address\":\"+819087870001\"}]".formatted(nao.get("method")),
                        "[{\"contactMethodId\":\"%s\",\"delayMinutes\":0,\"urgency\":\"low\"}]".formatted(nao.get("method"))))
                .put("/api/people/" + id).then().statusCode(200).body("contactMethods[0].verified",
                        org.hamcrest.Matchers.equalTo(true));
        assertTrue(entryOf(unreachable(), id) != null);
        handoffs.tick(null);
        assertEquals(2, Outboxed.data(ReachabilityService.FLAGGED, id).size());

        // off call (the schedule archived): the flag is forgotten, so a later one is sent again
        given().auth().oauth2(admin()).delete("/api/schedules/" + schedule).then().statusCode(204);
        schedules.remove(schedule);
        handoffs.tick(null);
        assertEquals(0, flagRows(id));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWindowIsSevenDaysAndEveryWakingTypeCounts() {
        LocalDate today = LocalDate.now(TOKYO);
        Map<String, String> soon = personWithMethod("Sora Soon", "email", "x@toban.example", "any", true);
        Map<String, String> later = personWithMethod("Riku Later", "email", "y@toban.example", "any", true);
        Map<String, String> push = personWithMethod("Mio Push", "push", "https://ntfy.example.com/mio", "any", true);
        Map<String, String> voice = personWithMethod("Ren Voice", "voice", "+819087870002", "high", true);
        onCallFrom(soon.get("id"), today.plusDays(5));
        onCallFrom(later.get("id"), today.plusDays(9));
        onCallFrom(push.get("id"), today.minusDays(1));
        onCallFrom(voice.get("id"), today.minusDays(1));

        JsonPath list = unreachable();
        Map<String, Object> s = entryOf(list, soon.get("id"));
        assertTrue(s != null, "on call in 5 days with email only: listed");
        Instant start = Instant.parse((String) ((List<Map<String, Object>>) s.get("shifts")).get(0).get("start"));
        assertTrue(start.isAfter(Instant.now()), "the shift is the coming one");
        assertTrue(entryOf(list, later.get("id")) == null, "on call only in 9 days: not yet");
        assertTrue(entryOf(list, push.get("id")) == null, "a verified push for every page wakes them");
        assertTrue(entryOf(list, voice.get("id")) == null, "a verified call for high-urgency pages wakes them");
    }

    @Inject
    DemoDataService demo;

    @Inject
    ReachabilityService reachability;

    @Test
    void demoPeopleWithPhonesAndPushCanBeWokenTheOthersCannot() {
        String username = uniq("demo");
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> demo.create(new DemoDataService.DemoPerson(id, "Demo Wake", username,
                "ja", "U0DEMOWAKE", "responder"), new DemoDataService.WakingDemo("+819012340009", "toban-" + username)));
        JsonPath p = given().auth().oauth2(admin()).get("/api/people/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("slack", "email", "push", "sms", "voice"), p.getList("contactMethods.type"));
        assertEquals(List.of(true, true, true, true, true), p.getList("contactMethods.verified"));
        assertEquals("https://ntfy.example.com/toban-" + username, p.getString("contactMethods[2].address"));
        assertEquals(List.of(0, 5, 0, 1, 2), p.getList("notificationRules.delayMinutes"));
        assertEquals(List.of("any", "any", "high", "high", "high"), p.getList("notificationRules.urgency"));
        assertTrue(reachability.reachable(id));

        UUID plain = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> demo.create(new DemoDataService.DemoPerson(plain, "Demo Plain",
                uniq("demo"), "ja", "U0DEMOPLAIN", "responder"), null));
        assertEquals(List.of(true, true), given().auth().oauth2(admin()).get("/api/people/" + plain).then().statusCode(200)
                .extract().jsonPath().getList("contactMethods.verified"));
        assertFalse(reachability.reachable(plain));
        // the demo's own: Sato and Tanaka are the ones with waking methods
        assertEquals(java.util.Set.of(DemoDataService.SATO, DemoDataService.TANAKA), DemoDataService.WAKING.keySet());
    }

    @Test
    void shiftEventsSayWhetherThePersonIsReachable() {
        Map<String, String> awake = personWithMethod("Kai Awake", "push", "https://ntfy.example.com/kai", "high", true);
        Map<String, String> asleep = personWithMethod("Yua Asleep", "sms", "+819087870003", "high", false);
        String a = onCallFrom(awake.get("id"), LocalDate.of(2031, 3, 3));
        String b = onCallFrom(asleep.get("id"), LocalDate.of(2031, 3, 3));
        String c = onCallFrom(asleep.get("id"), LocalDate.of(2031, 3, 4));
        Instant at = Instant.parse("2031-03-03T01:00:30Z");
        clock.set(at);
        handoffs.tick(at);
        JsonNode started = Outboxed.last(HandoffService.SHIFT_STARTED, a + ":" + awake.get("id") + ":2031-03-03T01:00:00Z");
        assertTrue(started.path("reachable").asBoolean(false));
        JsonNode other = Outboxed.last(HandoffService.SHIFT_STARTED, b + ":" + asleep.get("id") + ":2031-03-03T01:00:00Z");
        assertTrue(other.has("reachable"));
        assertFalse(other.path("reachable").asBoolean(true));
        // the upcoming notice of a shift starting tomorrow carries it too
        JsonNode upcoming = Outboxed.last(HandoffService.SHIFT_UPCOMING, c + ":" + asleep.get("id") + ":2031-03-04T01:00:00Z");
        assertFalse(upcoming.path("reachable").asBoolean(true));
    }
}
