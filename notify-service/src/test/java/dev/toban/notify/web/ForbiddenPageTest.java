package dev.toban.notify.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

/**
 * A page the role does not allow answers a page in the reader's language (a bare 403 left Chromium showing
 * its own error page, from which nothing on the page worked), and an API a problem.
 */
@QuarkusTest
class ForbiddenPageTest {

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void aRefusedPageIsAPageInTheReadersLanguage() {
        given().header("Accept-Language", "ja").get("/ui/settings/templates").then().statusCode(403)
                .contentType(containsString("text/html"))
                .body(containsString("権限がありません"), containsString("header class=\"top\""));
        given().header("Accept-Language", "en").get("/ui/settings/templates/handoff.notice").then().statusCode(403)
                .body(containsString("Your role does not allow this page"));
        given().get("/api/templates").then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403));
    }
}
