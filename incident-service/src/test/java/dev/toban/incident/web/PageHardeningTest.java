package dev.toban.incident.web;

import static dev.toban.incident.web.PageSupport.csrf;
import static dev.toban.incident.web.PageSupport.form;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plumbing's page protections, seen on the IC console: no path spelling skips the CSRF check, a form
 * from another site is refused even with a stolen token, and every response carries the security headers.
 */
@QuarkusTest
class PageHardeningTest {

    @BeforeEach
    void setUp() {
        new IncidentPageResourceTest().setUp();
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aMatrixParameterInThePathDoesNotSkipTheCsrfCheck() {
        UUID id = IncidentPageResourceTest.openIncident("Matrix", "error");
        for (String path : new String[] {"/ui;x=1/incidents/" + id + "/status-update",
                "/ui/incidents;x=1/" + id + "/status-update", "/ui/incidents/" + id + "/status-update;x=1"}) {
            // sent as written: REST Assured would otherwise escape the ';' (and %3B reaches no page at all: 404)
            given().urlEncodingEnabled(false).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .body("message=forged").post(path)
                    .then().statusCode(400).body("errors[0].field", equalTo("path"));
        }
        // the same without a token and without the trick: still refused
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("message", "forged").post("/ui/incidents/" + id + "/status-update").then().statusCode(403);
        assertEquals(0, IncidentPageResourceTest.timeline(id, "status_update"));
    }

    @Test
    @TestSecurity(user = "sato", roles = {"viewer", "responder"})
    void aFormFromAnotherSiteIsRefusedEvenWithTheToken() {
        UUID id = IncidentPageResourceTest.openIncident("Cross-site", "error");
        String token = csrf();
        form(token).header("Sec-Fetch-Site", "cross-site").post("/ui/incidents/" + id + "/acknowledge")
                .then().statusCode(403);
        form(token).header("Sec-Fetch-Site", "same-site").post("/ui/incidents/" + id + "/acknowledge")
                .then().statusCode(403);
        form(token).header("Origin", "https://attacker.example").post("/ui/incidents/" + id + "/acknowledge")
                .then().statusCode(403);
        form(token).header("Origin", "null").post("/ui/incidents/" + id + "/acknowledge").then().statusCode(403);
        assertEquals("triggered", IncidentPageResourceTest.state(id));
        // what Chromium sends for the page's own form
        int port = io.restassured.RestAssured.port;
        form(token).header("Sec-Fetch-Site", "same-origin").header("Origin", "http://localhost:" + port)
                .post("/ui/incidents/" + id + "/acknowledge").then().statusCode(303);
        assertEquals("acknowledged", IncidentPageResourceTest.state(id));
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void pagesAndApisCarryTheSecurityHeaders() {
        given().get("/ui/incidents").then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("X-Frame-Options", "DENY");
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/incidents").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff");
    }
}
