package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.TRIAGE;
import static dev.toban.incident.support.TestStack.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST SOS: a viewer (business staff) may raise one. */
@QuarkusTest
class SosResourceTest {

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    @BeforeEach
    void freshSosLimit() {
        TestStack.forgetSosReports();
    }

    @Test
    void aViewerRaisesAnSos() {
        String id = as(KeycloakTokens.YAMADA)
                .body("{\"description\":\"Newsletter sent twice\",\"impact\":\"Readers complain\"}")
                .post("/api/sos").then().statusCode(201)
                .header("Location", notNullValue())
                .body("source", equalTo("sos"))
                .body("service.id", equalTo(TRIAGE.toString()))
                .body("title", equalTo("SOS: Newsletter sent twice"))
                .body("impact", equalTo("Readers complain"))
                .body("severity", equalTo("SEV3"))
                .extract().path("id");
        as(KeycloakTokens.YAMADA).get("/api/incidents/" + id + "/timeline").then()
                .body("[0].kind", equalTo("opened"))
                .body("[0].actor.username", equalTo("yamada"))
                .body("[0].actor.name", equalTo("Yumi Yamada"));
    }

    @Test
    void anSosNeedsASignInAndADescription() {
        given().contentType(ContentType.JSON).body("{\"description\":\"x\"}").post("/api/sos").then().statusCode(401);
        as(KeycloakTokens.YAMADA).body("{\"description\":\"  \"}").post("/api/sos").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("description"));
        as(KeycloakTokens.YAMADA).post("/api/sos").then().statusCode(400).body("errors[0].field", equalTo("body"));
    }

    @Test
    void overTheLimitAnSosIsA429WithRetryAfterAndOpensNothing() {
        for (int i = 0; i < 3; i++) {
            as(KeycloakTokens.YAMADA).body("{\"description\":\"Report " + i + "\"}").post("/api/sos").then().statusCode(201);
        }
        long before = TestStack.count("select count(*) from incident");
        int retryAfter = Integer.parseInt(as(KeycloakTokens.YAMADA).body("{\"description\":\"One more\"}").post("/api/sos")
                .then().statusCode(429).contentType("application/problem+json")
                .body("title", equalTo("Too many SOS reports"))
                .body("detail", org.hamcrest.Matchers.containsString("3 SOS reports in the last 10 minutes"))
                .extract().header("Retry-After"));
        org.junit.jupiter.api.Assertions.assertTrue(retryAfter > 0 && retryAfter <= 600, "Retry-After " + retryAfter);
        org.junit.jupiter.api.Assertions.assertEquals(before, TestStack.count("select count(*) from incident"));
        // another reporter is not affected
        as(KeycloakTokens.SATO).body("{\"description\":\"Mine\"}").post("/api/sos").then().statusCode(201);
        // the count holds in the database: once the oldest report leaves the window, the reporter may send again
        TestStack.update("update sos_report set reported_at = reported_at - interval '11 minutes' where reported_at = "
                + "(select min(reported_at) from sos_report where reporter = 'person:" + TestStack.YAMADA + "')");
        as(KeycloakTokens.YAMADA).body("{\"description\":\"Later\"}").post("/api/sos").then().statusCode(201);
    }
}
