package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.toban.oncall.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without an answer from incident-service (not running in this suite, see application.properties) a
 * team or policy might still be used by a technical service: archiving it is refused, never done blindly.
 */
@QuarkusTest
class IncidentServiceDownTest {

    @Test
    void archivingATeamOrAPolicyWaitsForIncidentService() {
        String teamId = Fixtures.team(List.of());
        given().auth().oauth2(admin()).post("/api/teams/" + teamId + "/archive").then().statusCode(503)
                .contentType("application/problem+json")
                .body("status", equalTo(503))
                .body("detail", containsString("cannot check whether services still use it, retry"));
        given().auth().oauth2(admin()).get("/api/teams/" + teamId).then().statusCode(200).body("archivedAt", nullValue());

        String policyId = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("""
                        {"name":"%s","levels":[{"delayMinutes":10,"targets":[{"type":"person","id":"%s"}]}]}
                        """.formatted(Fixtures.uniq("Policy"), Fixtures.person("Down Target")))
                .post("/api/escalation-policies").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin()).delete("/api/escalation-policies/" + policyId).then().statusCode(503)
                .body("detail", containsString("cannot check whether services still use it, retry"));
        given().auth().oauth2(admin()).get("/api/escalation-policies/" + policyId).then().statusCode(200)
                .body("archivedAt", nullValue());
    }
}
