package dev.toban.incident.web;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Page requests in tests: the language, and the CSRF cookie plus form field a page GET hands out. */
final class PageSupport {

    static final String CSRF_COOKIE = "toban_csrf_incident-service";

    private PageSupport() {
    }

    static RequestSpecification page(String lang) {
        return given().redirects().follow(false).header("Accept-Language", lang);
    }

    /** A CSRF token from a page GET (the cookie), to echo in a form. */
    static String csrf() {
        return given().header("Accept-Language", "en").get("/ui/incidents").then().statusCode(200)
                .extract().cookie(CSRF_COOKIE);
    }

    /** A form post as a browser sends it: cookie and field. */
    static RequestSpecification form(String token) {
        return form(token, "en");
    }

    static RequestSpecification form(String token, String lang) {
        return given().redirects().follow(false).header("Accept-Language", lang)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .cookie(CSRF_COOKIE, token).formParam("csrf", token);
    }
}
