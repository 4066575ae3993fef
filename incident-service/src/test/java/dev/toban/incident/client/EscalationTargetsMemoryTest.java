package dev.toban.incident.client;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.client.EscalationTargets.Found;
import dev.toban.incident.client.EscalationTargets.Lookup;
import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.TestStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A live whom-to-page answer is reused from memory within its validUntil: no call to oncall-service (the suite's
 * fake counts them) and no write of the fallback copy; an on-call change event or the end of its validity makes
 * the next lookup ask again.
 */
@QuarkusTest
class EscalationTargetsMemoryTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    @Inject
    EscalationTargets targets;

    static String path(UUID policy) {
        return "/api/escalation-policies/" + policy + "/targets";
    }

    /** How often the service asked the fake oncall-service for this policy's targets. */
    static long calls(UUID policy) {
        return FakeOnCall.calls().stream().filter(c -> c.startsWith("GET " + path(policy) + " ")).count();
    }

    static void answer(UUID policy, Instant validUntil) {
        FakeOnCall.answer(path(policy), 200, """
                {"policyId":"%s","policyName":"Memory","level":1,"levels":1,"repeatCount":0,"delayMinutes":15,
                 "targets":[{"type":"schedule","id":"%s","name":"server"}],"people":[%s],"validUntil":"%s"}"""
                .formatted(policy, UUID.randomUUID(), TestStack.personRef(TestStack.SATO), validUntil));
    }

    /**
     * Answers live with the given validity (set anew each try) until a lookup gets it: other tests' 503s may have
     * opened the circuit breaker, which then answers from the fallback without asking.
     */
    PolicyTargets live(UUID policy, Duration validity) {
        PolicyTargets[] found = new PolicyTargets[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            answer(policy, Instant.now().plus(validity));
            Lookup lookup = targets.lookup(policy, 1);
            if (lookup instanceof Found f && f.answer().cachedAt() == null) {
                found[0] = f.answer();
                return true;
            }
            return false;
        });
        return found[0];
    }

    Object fetchedAt(UUID policy) {
        return TestStack.single("select fetched_at from policy_targets_cache where policy_id = ? and level = 1", policy);
    }

    PolicyTargets assertRemembered(UUID policy) {
        long before = calls(policy);
        Object stored = fetchedAt(policy);
        Lookup again = targets.lookup(policy, 1);
        assertEquals(before, calls(policy), "answered from memory, without asking oncall-service");
        assertEquals(stored, fetchedAt(policy), "and without writing the fallback copy again");
        PolicyTargets answer = assertInstanceOf(Found.class, again).answer();
        assertNull(answer.cachedAt(), "the live answer, not the fallback");
        return answer;
    }

    @Test
    void twoLookupsWithinTheValidityAskOncallServiceOnce() {
        UUID policy = UUID.randomUUID();
        PolicyTargets first = live(policy, Duration.ofMinutes(10));
        assertTrue(first.validUntil().isAfter(Instant.now()), "validUntil is read");
        long asked = calls(policy);
        assertTrue(asked >= 1);
        PolicyTargets second = assertRemembered(policy);
        assertEquals("sato", second.people().get(0).username());
        assertEquals(first, second);
        assertRemembered(policy);
        assertEquals(asked, calls(policy));
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("toban_incident_escalation_targets_lookups_total{cache=\"hit\""), metrics);
    }

    @Test
    void anOnCallChangeEventMakesTheNextLookupAskAgain() {
        UUID policy = UUID.randomUUID();
        live(policy, Duration.ofMinutes(10));
        assertRemembered(policy);
        String override = UUID.randomUUID().toString();
        TestStack.broker().publish("toban.oncall", "toban.oncall.override.created", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.override.created",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","scheduleId":"%s","person":%s,"replacesPersonId":null,
                         "start":"2026-11-25T10:00:00Z","end":"2026-11-25T12:00:00Z"}}"""
                .formatted(override, override, override, UUID.randomUUID(), TestStack.personRef(TestStack.SUZUKI)));
        long before = calls(policy);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            targets.lookup(policy, 1);
            return calls(policy) > before;
        });
        assertEquals(0, TestStack.count("select count(*) from inbox_event where event_id = ?", override),
                "an event that only invalidates leaves no inbox row");

        // the new answer is remembered in turn, until the next change (a schedule this time)
        live(policy, Duration.ofMinutes(10));
        assertRemembered(policy);
        String schedule = UUID.randomUUID().toString();
        TestStack.broker().publish("toban.oncall", "toban.oncall.schedule.updated", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.schedule.updated",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","name":"server","teamId":"%s","role":"server","timeZone":"Asia/Tokyo",
                         "archived":false,"version":2}}"""
                .formatted(UUID.randomUUID(), schedule, schedule, TestStack.TEAM_SERVER));
        long beforeSchedule = calls(policy);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            targets.lookup(policy, 1);
            return calls(policy) > beforeSchedule;
        });
    }

    @Test
    void anAnswerWhoseValidityEndedIsAskedForAgain() {
        UUID policy = UUID.randomUUID();
        PolicyTargets answer = live(policy, Duration.ofSeconds(4));
        assertRemembered(policy);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(answer.validUntil()));
        long before = calls(policy);
        assertNull(assertInstanceOf(Found.class, targets.lookup(policy, 1)).answer().cachedAt());
        assertEquals(before + 1, calls(policy), "asked again once its validUntil has passed");
    }
}
