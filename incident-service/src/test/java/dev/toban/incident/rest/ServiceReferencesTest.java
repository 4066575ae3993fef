package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.TEAM_SERVER;
import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.FakeOnCall;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Referential integrity towards oncall-service: a service names a team and an escalation policy that exist
 * there and are not archived. The team replica answers first; oncall-service (a fake here) is asked when the
 * replica does not know the team as active, and always for the policy; what it cannot confirm is a 503.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceReferencesTest {

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    /** The 503s below may open the team lookup's circuit breaker for 10 s: the classes after this one must not inherit it. */
    @AfterEach
    void closeCircuitBreakers() {
        circuitBreakers.resetAll();
    }

    static String body(String name, UUID team, UUID policy) {
        return """
                {"name":"%s","owningTeamId":"%s","escalationPolicyId":"%s"}""".formatted(name, team, policy);
    }

    static long services() {
        return count("select count(*) from technical_service");
    }

    static long teamLookups(UUID team) {
        return FakeOnCall.calls().stream().filter(c -> c.startsWith("GET /api/teams/" + team + " ")).count();
    }

    @Test
    @Order(1)
    void aTeamOfTheReplicaIsAcceptedWithoutAskingOncallService() {
        String name = "Replica team " + UUID.randomUUID();
        as(KeycloakTokens.ADMIN).body(body(name, TEAM_SERVER, UUID.randomUUID())).post("/api/services").then()
                .statusCode(201).body("owningTeam.name", equalTo("Server"));
        assertEquals(0, teamLookups(TEAM_SERVER), "the replica knew the team");
    }

    @Test
    @Order(2)
    void anUnknownTeamOrPolicyIsA400NamingTheFieldAndStoresNothing() {
        long before = services();
        UUID nobody = UUID.randomUUID();
        as(KeycloakTokens.ADMIN).body(body("No team " + UUID.randomUUID(), nobody, UUID.randomUUID()))
                .post("/api/services").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("owningTeamId"))
                .body("errors[0].message", containsString("not a team of oncall-service"));
        assertEquals(1, teamLookups(nobody), "the replica did not know it: oncall-service was asked, once");

        UUID noPolicy = UUID.randomUUID();
        FakeOnCall.answer("/api/escalation-policies/" + noPolicy, 404, "{\"status\":404}");
        as(KeycloakTokens.ADMIN).body(body("No policy " + UUID.randomUUID(), TEAM_SERVER, noPolicy))
                .post("/api/services").then().statusCode(400)
                .body("errors[0].field", equalTo("escalationPolicyId"));

        String existing = TestStack.service("Update refs", UUID.randomUUID())[0];
        as(KeycloakTokens.ADMIN).body(body("Update refs " + UUID.randomUUID(), nobody, UUID.randomUUID()))
                .put("/api/services/" + existing).then().statusCode(400).body("errors[0].field", equalTo("owningTeamId"));
        as(KeycloakTokens.ADMIN).get("/api/services/" + existing).then().body("owningTeam.id", equalTo(TEAM_SERVER.toString()));
        assertEquals(before + 1, services());
    }

    @Test
    @Order(3)
    void aTeamJustCreatedInOncallServiceIsConfirmedThereWithTheServiceToken() {
        UUID fresh = UUID.randomUUID();
        FakeOnCall.team(fresh, "Data", null); // its toban.oncall.team.created has not arrived yet
        as(KeycloakTokens.ADMIN).body(body("Fresh team " + UUID.randomUUID(), fresh, UUID.randomUUID()))
                .post("/api/services").then().statusCode(201).body("owningTeam.id", equalTo(fresh.toString()));
        assertTrue(FakeOnCall.calls().contains("GET /api/teams/" + fresh + " Bearer"),
                "asked oncall-service with the client-credentials token: " + FakeOnCall.calls());
    }

    @Test
    @Order(4)
    void archivedTeamsAndPoliciesAreNoNewReferences() {
        UUID archivedTeam = UUID.randomUUID();
        FakeOnCall.team(archivedTeam, "Old", "2026-11-01T00:00:00Z");
        as(KeycloakTokens.ADMIN).body(body("Archived team " + UUID.randomUUID(), archivedTeam, UUID.randomUUID()))
                .post("/api/services").then().statusCode(400)
                .body("errors[0].field", equalTo("owningTeamId"))
                .body("errors[0].message", containsString("archived"));

        UUID archivedPolicy = UUID.randomUUID();
        FakeOnCall.answer("/api/escalation-policies/" + archivedPolicy, 200, """
                {"id":"%s","name":"Old policy","archivedAt":"2026-11-01T00:00:00Z"}""".formatted(archivedPolicy));
        as(KeycloakTokens.ADMIN).body(body("Archived policy " + UUID.randomUUID(), TEAM_SERVER, archivedPolicy))
                .post("/api/services").then().statusCode(400)
                .body("errors[0].field", equalTo("escalationPolicyId"))
                .body("errors[0].message", containsString("archived"));

        // the replica learns the archive from the team event: no longer accepted, even if oncall-service is asked
        UUID team = UUID.randomUUID();
        TestStack.broker().publish("toban.oncall", "toban.oncall.team.updated", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.updated",
                 "subject":"%s","data":{"id":"%s","name":"Retired","slackChannel":"#team-retired","timeZone":"Asia/Tokyo",
                 "memberIds":[],"updatedAt":"2026-11-25T10:00:00Z","version":5,"archivedAt":"2026-11-25T10:00:00Z"}}"""
                .formatted(UUID.randomUUID(), team, team));
        await().atMost(Duration.ofSeconds(10)).until(() -> TestStack.single(
                "select archived_at from team where id = ?", team) != null);
        FakeOnCall.team(team, "Retired", "2026-11-25T10:00:00Z");
        as(KeycloakTokens.ADMIN).body(body("Retired team " + UUID.randomUUID(), team, UUID.randomUUID()))
                .post("/api/services").then().statusCode(400).body("errors[0].field", equalTo("owningTeamId"));
    }

    @Test
    @Order(5)
    void anUpdateThatKeepsItsReferencesDoesNotAskOncallService() {
        UUID team = UUID.randomUUID();
        FakeOnCall.team(team, "Kept", null);
        String name = "Kept refs " + UUID.randomUUID();
        UUID policy = UUID.randomUUID();
        String id = as(KeycloakTokens.ADMIN).body(body(name, team, policy)).post("/api/services").then()
                .statusCode(201).extract().path("id");
        // oncall-service is down now, but nothing the update names is new
        FakeOnCall.answer("/api/teams/" + team, 503, "{}");
        FakeOnCall.answer("/api/escalation-policies/" + policy, 503, "{}");
        as(KeycloakTokens.ADMIN).body("""
                {"name":"%s","description":"Still here","owningTeamId":"%s","escalationPolicyId":"%s"}"""
                .formatted(name, team, policy)).put("/api/services/" + id).then().statusCode(200)
                .body("description", equalTo("Still here"));
        assertEquals(1, teamLookups(team));
    }

    @Test
    @Order(6)
    void theServiceAccountAndViewersListTheServicesThatNameATeamOrAPolicy() {
        UUID policy = UUID.randomUUID();
        String[] named = TestStack.service("By policy", policy);
        String mine = given().auth().oauth2(KeycloakTokens.service())
                .get("/api/services?escalationPolicyId=" + policy).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].escalationPolicyId", equalTo(policy.toString()))
                .body("[0].owningTeam.id", equalTo(TEAM_SERVER.toString()))
                .body("[0].integrationKeys[0].last4", notNullValue())
                .extract().path("[0].id");
        assertEquals(named[0], mine);
        given().auth().oauth2(KeycloakTokens.service()).get("/api/services?owningTeamId=" + TEAM_SERVER).then()
                .statusCode(200).body("id", hasItem(named[0])).body("owningTeam.id", not(hasItem(TestStack.TEAM_MOBILE.toString())));
        as(KeycloakTokens.YAMADA).get("/api/services?owningTeamId=" + TEAM_SERVER).then().statusCode(200)
                .body("id", hasItem(named[0]));
        given().auth().oauth2(KeycloakTokens.service()).get("/api/services/" + named[0]).then().statusCode(200);
        given().auth().oauth2(KeycloakTokens.service()).get("/api/services?owningTeamId=" + UUID.randomUUID()).then()
                .statusCode(200).body("size()", equalTo(0));
        as(KeycloakTokens.YAMADA).get("/api/services?includeArchived=maybe").then().statusCode(400)
                .body("errors[0].field", equalTo("includeArchived"));
        // the service account reads; it does not manage the catalog
        given().auth().oauth2(KeycloakTokens.service()).contentType("application/json")
                .body(body("By service account", TEAM_SERVER, policy)).post("/api/services").then().statusCode(403);
    }

    /** Last: failures may open the team lookup's circuit breaker, which the other tests here need closed. */
    @Test
    @Order(100)
    void whatOncallServiceCannotConfirmIsRefusedWith503() {
        long before = services();
        UUID team = UUID.randomUUID();
        FakeOnCall.answer("/api/teams/" + team, 503, "{}");
        as(KeycloakTokens.ADMIN).body(body("Unconfirmed " + UUID.randomUUID(), team, UUID.randomUUID()))
                .post("/api/services").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("errors[0].field", equalTo("owningTeamId"));
        assertEquals(before, services(), "nothing unchecked is stored");
        // (policies take the same path; failing them here would open the breaker every other test's services need)
    }
}
