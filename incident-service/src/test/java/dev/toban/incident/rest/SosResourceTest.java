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
import org.junit.jupiter.api.Test;

/** The REST SOS: a viewer (business staff) may raise one. */
@QuarkusTest
class SosResourceTest {

    @BeforeAll
    static void directory() {
        TestStack.directory();
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
}
