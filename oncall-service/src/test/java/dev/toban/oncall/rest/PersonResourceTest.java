package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.token;
import static dev.toban.oncall.testing.Fixtures.uniq;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PersonResourceTest {

    static BrokerProbe broker;

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

    static String personBody(String username, String contactMethods, String rules) {
        return """
                {"name":"Aki Mori","username":"%s","email":"%s@toban.example","slackUserId":"U0AKIMORI",
                 "timeZone":"Europe/Berlin","locale":"en","contactMethods":%s,"notificationRules":%s}
                """.formatted(username, username, contactMethods, rules);
    }

    @Test
    void adminCreatesAPersonWithContactMethodsAndRulesInTheDocumentedShape() {
        String username = uniq("mori");
        UUID slack = UUID.randomUUID();
        UUID email = UUID.randomUUID();
        String id = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(username,
                        "[{\"id\":\"" + slack + "\",\"type\":\"slack\",\"address\":\"U0AKIMORI\",\"label\":\"DM\"},"
                                + "{\"id\":\"" + email + "\",\"type\":\"email\",\"address\":\"mori@toban.example\"}]",
                        "[{\"contactMethodId\":\"" + slack + "\",\"delayMinutes\":0},"
                                + "{\"contactMethodId\":\"" + email + "\",\"delayMinutes\":5,\"urgency\":\"low\"}]"))
                .post("/api/people").then().statusCode(201).extract().path("id");

        given().auth().oauth2(KeycloakTokens.service()).get("/api/people/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("username", equalTo(username))
                .body("slackUserId", equalTo("U0AKIMORI"))
                .body("timeZone", equalTo("Europe/Berlin"))
                .body("locale", equalTo("en"))
                .body("contactMethods", hasSize(2))
                .body("contactMethods[0].type", equalTo("slack"))
                .body("contactMethods[0].address", equalTo("U0AKIMORI"))
                .body("contactMethods[1].id", equalTo(email.toString()))
                .body("notificationRules[0].contactMethodId", equalTo(slack.toString()))
                .body("notificationRules[0].delayMinutes", equalTo(0))
                .body("notificationRules[1].delayMinutes", equalTo(5))
                .body("notificationRules.urgency", equalTo(java.util.List.of("any", "low")));
        // an urgency that is not one of the three is refused, naming the rule's field
        UUID other = UUID.randomUUID();
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(uniq("ueda"), "[{\"id\":\"" + other + "\",\"type\":\"slack\",\"address\":\"U0UEDA\"}]",
                        "[{\"contactMethodId\":\"" + other + "\",\"delayMinutes\":0,\"urgency\":\"urgent\"}]"))
                .post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("notificationRules[0].urgency"));

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.person.created").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
        JsonNode data = broker.received("toban.oncall.person.created").stream()
                .filter(e -> id.equals(e.path("subject").asText())).findFirst().orElseThrow().path("data");
        assertEquals(username, data.path("username").asText());
        assertEquals("U0AKIMORI", data.path("slackUserId").asText());
        assertEquals("Europe/Berlin", data.path("timeZone").asText());
    }

    @Test
    void theCallersOwnPersonIsFoundByTheirUsername() {
        given().auth().oauth2(token(KeycloakTokens.SATO)).get("/api/people/me").then().statusCode(200)
                .body("id", equalTo(DemoDataService.SATO.toString()))
                .body("name", equalTo("Hanako Sato"))
                .body("notificationRules.delayMinutes", org.hamcrest.Matchers.hasItems(0, 5));
        given().auth().oauth2(KeycloakTokens.service()).get("/api/people/me").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aResponderUpdatesTheirOwnContactMethodsButNobodyElses() {
        String sato = token(KeycloakTokens.SATO);
        String body = """
                {"name":"Hanako Sato","username":"sato","email":"sato@toban.example","slackUserId":"U0TBNSATO",
                 "timeZone":"Asia/Tokyo","locale":"ja",
                 "contactMethods":[{"id":"%s","type":"slack","address":"U0TBNSATO"},
                                   {"id":"%s","type":"webhook","address":"https://hooks.example/sato"}],
                 "notificationRules":[{"contactMethodId":"%s","delayMinutes":0},{"contactMethodId":"%s","delayMinutes":10}]}
                """;
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        given().auth().oauth2(sato).contentType(ContentType.JSON).body(body.formatted(a, b, a, b))
                .put("/api/people/" + DemoDataService.SATO).then().statusCode(200)
                .body("contactMethods[1].type", equalTo("webhook"))
                .body("contactMethods[0].approved", equalTo(true))
                .body("contactMethods[1].approved", equalTo(false))
                .body("notificationRules[1].delayMinutes", equalTo(10));
        given().auth().oauth2(sato).contentType(ContentType.JSON).body(body.formatted(a, b, a, b)
                        .replace("\"sato\"", "\"suzuki\"").replace("Hanako Sato", "Ichiro Suzuki"))
                .put("/api/people/" + DemoDataService.SUZUKI).then().statusCode(403);
        given().auth().oauth2(token(KeycloakTokens.YAMADA)).contentType(ContentType.JSON).body(body.formatted(a, b, a, b))
                .put("/api/people/" + DemoDataService.SATO).then().statusCode(403);
        // back to the demo shape (Slack DM at once, email after 5 minutes) for the other tests
        given().auth().oauth2(sato).contentType(ContentType.JSON).body(body.formatted(a, b, a, b)
                        .replace("\"type\":\"webhook\",\"address\":\"https://hooks.example/sato\"",
                                "\"type\":\"email\",\"address\":\"sato@toban.example\"")
                        .replace("\"delayMinutes\":10", "\"delayMinutes\":5"))
                .put("/api/people/" + DemoDataService.SATO).then().statusCode(200)
                .body("notificationRules[1].delayMinutes", equalTo(5));
    }

    @Test
    void badInputNamesTheFieldAndSavesNothing() {
        int before = given().auth().oauth2(admin()).get("/api/people").then().extract().path("size()");
        String username = uniq("bad");
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(username, "[]", "[]").replace("Europe/Berlin", "Europe/Atlantis"))
                .post("/api/people").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("timeZone"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(username, "[{\"type\":\"email\",\"address\":\"not-an-email\"}]", "[]"))
                .post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("contactMethods[0].address"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(username, "[]", "[{\"contactMethodId\":\"" + UUID.randomUUID() + "\",\"delayMinutes\":0}]"))
                .post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("notificationRules[0].contactMethodId"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(username, "[{\"type\":\"pager\",\"address\":\"x\"}]", "[]"))
                .post("/api/people").then().statusCode(400)
                .body("errors.field", hasItem("contactMethods[0].type"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody(username, "[]", "[]").replace("\"en\"", "\"fr\""))
                .post("/api/people").then().statusCode(400)
                .body("errors.field", hasItem("locale"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(personBody("SATO", "[]", "[]"))
                .post("/api/people").then().statusCode(409)
                .body("errors[0].field", equalTo("username"));
        int after = given().auth().oauth2(admin()).get("/api/people").then().extract().path("size()");
        assertEquals(before, after);
    }

    @Test
    void deletingAPersonArchivesThemOnceNothingLiveRefersToThem() {
        String free = Fixtures.person("Nao Leaving");
        String member = Fixtures.person("Oto Staying");
        String team = Fixtures.team(java.util.List.of(member));
        given().auth().oauth2(token(KeycloakTokens.SATO)).delete("/api/people/" + free).then().statusCode(403);
        String teamName = given().auth().oauth2(admin()).get("/api/teams/" + team).then().extract().path("name");
        given().auth().oauth2(admin()).delete("/api/people/" + member).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString(
                        "person 'Oto Staying' is a member of team '" + teamName + "'"));
        given().auth().oauth2(admin()).delete("/api/people/" + free).then().statusCode(204);
        // kept for history: still readable by id, no longer listed
        given().auth().oauth2(admin()).get("/api/people/" + free).then().statusCode(200)
                .body("archivedAt", org.hamcrest.Matchers.notNullValue())
                .body("archivedBy", equalTo("admin"));
        given().auth().oauth2(admin()).get("/api/people").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(hasItem(free)));
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.person.updated").stream()
                .anyMatch(e -> free.equals(e.path("subject").asText()) && e.path("data").path("archived").asBoolean()));
    }

    @Test
    void onlyAdminsCreatePeopleAndEveryoneSignedInReads() {
        given().get("/api/people").then().statusCode(401);
        given().auth().oauth2(token(KeycloakTokens.YAMADA)).get("/api/people").then().statusCode(200);
        given().auth().oauth2(token(KeycloakTokens.SATO)).contentType(ContentType.JSON)
                .body(personBody(uniq("x"), "[]", "[]")).post("/api/people").then().statusCode(403);
        given().auth().oauth2(admin()).get("/api/people/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
