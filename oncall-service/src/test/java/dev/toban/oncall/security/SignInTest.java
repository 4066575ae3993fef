package dev.toban.oncall.security;

import static dev.toban.oncall.testing.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.oncall.testing.LoginProfile;
import dev.toban.oncall.testing.RealmUsers;
import dev.toban.oncall.testing.RealmUsers.User;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * First sign-in: a signed-in engineer always has their person. A token of a realm user (made by this
 * test, prefix {@code t17-}) is matched to their person by subject, else by username (then linked), and a
 * person is created when there is none, with the token's name, email and Toban roles; Toban's own
 * services and users without a Toban role get none.
 */
@QuarkusTest
@TestProfile(LoginProfile.class)
class SignInTest {

    static BrokerProbe broker;
    final RealmUsers realm = new RealmUsers();

    @Inject
    DemoDataService demo;

    @BeforeAll
    static void watch() {
        broker = new BrokerProbe("toban_test_oncall").watch("toban.oncall", "toban.oncall.person.*");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @BeforeEach
    void demoData() {
        Fixtures.demo(demo);
    }

    @AfterEach
    void deleteUsers() {
        realm.deleteAll();
    }

    static Map<String, Object> person(String username) {
        return given().auth().oauth2(admin()).queryParam("includeArchived", true).get("/api/people").then()
                .statusCode(200).extract().jsonPath().getMap("find { it.username == '" + username + "' }");
    }

    @Test
    void anEngineerWithoutAPersonGetsOneOnTheirFirstRequest() {
        User user = realm.create("Riku", "Mori", "responder");
        assertNull(person(user.username()));

        String id = given().auth().oauth2(realm.token(user)).get("/api/people/me").then().statusCode(200)
                .body("username", equalTo(user.username()))
                .body("name", equalTo("Riku Mori"))
                .body("email", equalTo(user.username() + "@toban.example"))
                .body("keycloakSubject", equalTo(user.id()))
                .body("roles", equalTo(List.of("viewer", "responder")))
                .body("loginState", equalTo("active"))
                .body("locale", equalTo("en"))
                .extract().path("id");

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.person.created").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())
                        && "[\"viewer\",\"responder\"]".equals(e.path("data").path("roles").toString())));
        // the next request finds the same person
        String token = realm.token(user);
        given().auth().oauth2(token).get("/api/people/me").then().statusCode(200).body("id", equalTo(id));
        // who edits their own profile without naming the link keeps it (a responder may not change it)
        given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                        {"name":"Riku Mori","username":"%s","email":"%s@toban.example","slackUserId":"U0RIKUMORI",
                         "timeZone":"Asia/Tokyo","locale":"ja"}
                        """.formatted(user.username(), user.username()))
                .put("/api/people/" + id).then().statusCode(200)
                .body("slackUserId", equalTo("U0RIKUMORI"))
                .body("keycloakSubject", equalTo(user.id()))
                .body("roles", equalTo(List.of("viewer", "responder")));
    }

    @Test
    void aPersonAnAdminMadeIsLinkedByUsernameOnFirstSignIn() {
        // roles and loginState come from Keycloak only: the API ignores them
        User user = realm.create("Nana", "Ishii", "viewer");
        String id = given().auth().oauth2(admin()).contentType(ContentType.JSON).body("""
                        {"name":"Nana Ishii","username":"%s","email":"nana@toban.example","timeZone":"Europe/Berlin",
                         "locale":"ja","roles":["admin"],"loginState":"active"}
                        """.formatted(user.username()))
                .post("/api/people").then().statusCode(201)
                .body("roles", equalTo(List.of())).body("loginState", equalTo(null))
                .extract().path("id");

        given().auth().oauth2(realm.token(user)).get("/api/people/me").then().statusCode(200)
                .body("id", equalTo(id))
                .body("keycloakSubject", equalTo(user.id()))
                .body("roles", equalTo(List.of("viewer")))
                .body("email", equalTo(user.username() + "@toban.example"))
                .body("timeZone", equalTo("Europe/Berlin"));
    }

    @Test
    void servicesAndUsersWithoutATobanRoleGetNoPerson() {
        User outsider = realm.create("Out", "Sider");
        given().auth().oauth2(realm.token(outsider)).get("/api/people/me").then().statusCode(403);
        assertNull(person(outsider.username()));

        given().auth().oauth2(KeycloakTokens.service()).get("/api/people/me").then().statusCode(404);
        assertNull(person("service-account-toban-service"));
    }

    @Test
    void aDemoUserSigningInIsTheirDemoPerson() {
        given().auth().oauth2(Fixtures.token(KeycloakTokens.SATO)).get("/api/people/me").then().statusCode(200)
                .body("id", equalTo(DemoDataService.SATO.toString()))
                .body("roles", equalTo(List.of("viewer", "responder")));
        assertEquals("active", person("sato").get("loginState"));
    }
}
