package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.layer;
import static dev.toban.oncall.testing.Fixtures.team;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code validUntil} of the targets answer: the first instant after {@code at} at which the level's final shifts
 * change (handoff, restriction edge, override), at most {@code at} plus max-validity (15 minutes by default).
 */
@QuarkusTest
class TargetsValidityTest {

    static final String SATO = DemoDataService.SATO.toString();
    static final String SUZUKI = DemoDataService.SUZUKI.toString();
    static final Duration MAX = Duration.ofMinutes(15);

    @Inject
    DemoDataService demo;

    String teamId;

    @BeforeEach
    void demoData() {
        Fixtures.demo(demo);
        teamId = team(List.of(SATO, SUZUKI));
    }

    static String policy(String type, String id) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body("""
                        {"name":"%s","levels":[{"delayMinutes":10,"targets":[{"type":"%s","id":"%s"}]}]}
                        """.formatted(Fixtures.uniq("Policy"), type, id))
                .post("/api/escalation-policies").then().statusCode(201).extract().path("id");
    }

    static JsonPath targets(String policyId, Instant at) {
        return given().auth().oauth2(KeycloakTokens.service()).queryParam("level", 1).queryParam("at", at.toString())
                .get("/api/escalation-policies/" + policyId + "/targets").then().statusCode(200).extract().jsonPath();
    }

    static Instant validUntil(JsonPath answer) {
        return Instant.parse(answer.getString("validUntil"));
    }

    @Test
    void aDailyRotationIsValidUntilItsNextHandoff() {
        // sato on even days since 2026-01-01, handing off at 09:00 UTC
        String schedule = Fixtures.schedule(teamId, "server", "UTC",
                layer("Daily", 1, List.of(SATO, SUZUKI), 1, 1, "DAYS", "09:00", "2026-01-01", null));
        String policy = policy("schedule", schedule);
        Instant handoff = Instant.parse("2026-03-10T09:00:00Z");
        JsonPath before = targets(policy, handoff.minus(Duration.ofMinutes(5)));
        assertEquals(handoff, validUntil(before), "the handoff five minutes later");
        assertEquals(List.of("suzuki"), before.getList("people.username"));
        assertEquals(List.of("sato"), targets(policy, handoff).getList("people.username"), "it did change there");
        // mid-shift the handoff is a day away: the cap
        Instant noon = Instant.parse("2026-03-10T12:00:00Z");
        assertEquals(noon.plus(MAX), validUntil(targets(policy, noon)));
    }

    @Test
    void aWeeklyRotationIsValidUntilItsNextHandoff() {
        String schedule = Fixtures.schedule(teamId, "server", "Asia/Tokyo",
                layer("Weekly", 1, List.of(SATO, SUZUKI), 1, 1, "WEEKS", "10:00", "2026-01-05", null));
        String policy = policy("schedule", schedule);
        // Monday 2026-03-09 10:00 JST, nine weeks after the start
        Instant handoff = Instant.parse("2026-03-09T01:00:00Z");
        JsonPath before = targets(policy, handoff.minus(Duration.ofMinutes(12)));
        assertEquals(handoff, validUntil(before));
        assertEquals(List.of("sato"), before.getList("people.username"), "shift 8");
        assertEquals(List.of("suzuki"), targets(policy, handoff).getList("people.username"), "shift 9");
    }

    @Test
    void aRestrictedLayerIsValidUntilItsWindowEnds() {
        String schedule = Fixtures.schedule(teamId, "server", "UTC",
                layer("Office", 1, List.of(SATO), 1, 1, "WEEKS", "00:00", "2026-01-05",
                        "[{\"daysOfWeek\":[\"MONDAY\",\"TUESDAY\",\"WEDNESDAY\",\"THURSDAY\",\"FRIDAY\"],"
                                + "\"start\":\"09:00\",\"end\":\"17:00\"}]"));
        String policy = policy("schedule", schedule);
        // Tuesday 2026-03-10
        assertEquals(Instant.parse("2026-03-10T17:00:00Z"), validUntil(targets(policy,
                Instant.parse("2026-03-10T16:50:00Z"))));
        // nobody until 09:00: valid until someone is
        JsonPath early = targets(policy, Instant.parse("2026-03-10T08:52:00Z"));
        assertEquals(List.of(), early.getList("people"));
        assertEquals(Instant.parse("2026-03-10T09:00:00Z"), validUntil(early));
    }

    @Test
    void anOverrideStartingInTenMinutesEndsTheValidity() {
        String schedule = Fixtures.schedule(teamId, "server", "UTC",
                layer("Daily", 1, List.of(SATO, SUZUKI), 1, 1, "DAYS", "09:00", "2026-01-01", null));
        String policy = policy("schedule", schedule);
        Instant at = LocalDate.now(ZoneOffset.UTC).plusDays(3).atTime(12, 0).toInstant(ZoneOffset.UTC);
        assertEquals(at.plus(MAX), validUntil(targets(policy, at)), "no handoff within the cap");
        Instant start = at.plus(Duration.ofMinutes(10));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("""
                        {"personId":"%s","replacesPersonId":null,"start":"%s","end":"%s","note":"cover"}
                        """.formatted(DemoDataService.TANAKA, start, start.plus(Duration.ofHours(2))))
                .post("/api/schedules/" + schedule + "/overrides").then().statusCode(201);
        assertEquals(start, validUntil(targets(policy, at)));
        assertEquals(List.of("tanaka"), targets(policy, start).getList("people.username"));
        // inside the override: valid until it ends, or the cap
        assertEquals(start.plus(MAX), validUntil(targets(policy, start)));
        assertEquals(start.plus(Duration.ofHours(2)), validUntil(targets(policy,
                start.plus(Duration.ofHours(2)).minus(Duration.ofMinutes(1)))));
    }

    @Test
    void neverLaterThanTheCap() {
        // one person on call for ever, and a person target: nothing changes through time
        String alone = Fixtures.schedule(teamId, "server", "UTC",
                layer("Alone", 1, List.of(SATO), 1, 1, "WEEKS", "09:00", "2026-01-05", null));
        Instant at = Instant.parse("2026-03-11T03:04:05Z");
        JsonPath answer = targets(policy("schedule", alone), at);
        assertEquals(List.of("sato"), answer.getList("people.username"));
        assertEquals(at.plus(MAX), validUntil(answer));
        assertEquals(at.plus(MAX), validUntil(targets(policy("person", SUZUKI), at)));
    }
}
