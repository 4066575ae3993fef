package dev.toban.system;

import static io.restassured.RestAssured.given;

import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** REST Assured requests against a running service, signed in as a demo user. */
final class Api {

    private Api() {
    }

    static RequestSpecification as(String user, ServiceProcess service) {
        return given().baseUri(service.url()).auth().oauth2(KeycloakTokens.of(user)).contentType(ContentType.JSON);
    }

    static RequestSpecification asService(ServiceProcess service) {
        return given().baseUri(service.url()).auth().oauth2(KeycloakTokens.service()).contentType(ContentType.JSON);
    }
}
