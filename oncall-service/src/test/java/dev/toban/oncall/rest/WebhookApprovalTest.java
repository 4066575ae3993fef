package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.token;
import static dev.toban.oncall.testing.Fixtures.uniq;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A person's webhook is called by notify-service, so one that a non-admin adds or re-points waits for an
 * admin's approval; notify-service reads {@code approved} from {@code GET /api/people/{id}} and skips it until then.
 */
@QuarkusTest
class WebhookApprovalTest {

    static final String TANAKA = DemoDataService.TANAKA.toString();
    static final UUID SLACK = UUID.randomUUID();
    static final UUID HOOK = UUID.randomUUID();
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

    /** Tanaka as the demo has them (Slack DM at once, email after 5 minutes), for the other tests. */
    @AfterEach
    void restoreTanaka() {
        UUID email = UUID.randomUUID();
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(tanaka("""
                        [{"id":"%s","type":"slack","address":"U0TBNTANAKA","label":"Slack DM"},
                         {"id":"%s","type":"email","address":"tanaka@toban.example","label":"Work email"}]
                        """.formatted(SLACK, email), """
                        [{"contactMethodId":"%s","delayMinutes":0},{"contactMethodId":"%s","delayMinutes":5}]
                        """.formatted(SLACK, email)))
                .put("/api/people/" + TANAKA).then().statusCode(200);
    }

    static String tanaka(String contactMethods, String rules) {
        return """
                {"name":"Ken Tanaka","username":"tanaka","email":"tanaka@toban.example","slackUserId":"U0TBNTANAKA",
                 "timeZone":"Asia/Tokyo","locale":"ja","contactMethods":%s,"notificationRules":%s}
                """.formatted(contactMethods, rules);
    }

    /** Tanaka with a webhook; {@code approved} in the body is not theirs to set and is ignored. */
    static String withHook(String url, String label) {
        return tanaka("""
                [{"id":"%s","type":"slack","address":"U0TBNTANAKA","label":"Slack DM"},
                 {"id":"%s","type":"webhook","address":"%s","label":"%s","approved":true}]
                """.formatted(SLACK, HOOK, url, label), """
                [{"contactMethodId":"%s","delayMinutes":0},{"contactMethodId":"%s","delayMinutes":1}]
                """.formatted(SLACK, HOOK));
    }

    @Test
    void aResponderSWebhookWaitsForAnAdminAndARepointedOneWaitsAgain() {
        String tanaka = token(KeycloakTokens.TANAKA);
        given().auth().oauth2(tanaka).contentType(ContentType.JSON).body(withHook("https://hooks.example/tanaka", "Pager"))
                .put("/api/people/" + TANAKA).then().statusCode(200);
        // what notify-service reads: every method says whether it may be used
        given().auth().oauth2(KeycloakTokens.service()).get("/api/people/" + TANAKA).then().statusCode(200)
                .body("contactMethods[0].type", equalTo("slack"))
                .body("contactMethods[0].approved", equalTo(true))
                .body("contactMethods[1].type", equalTo("webhook"))
                .body("contactMethods[1].approved", equalTo(false))
                .body("contactMethods[1].approvedBy", nullValue());

        // only an admin approves, and nobody approves their own
        String approve = "/api/people/" + TANAKA + "/contact-methods/" + HOOK + "/approve";
        given().auth().oauth2(tanaka).post(approve).then().statusCode(403);
        given().auth().oauth2(admin()).post("/api/people/" + TANAKA + "/contact-methods/" + UUID.randomUUID() + "/approve")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(admin()).post(approve).then().statusCode(200)
                .body("contactMethods[1].approved", equalTo(true))
                .body("contactMethods[1].approvedBy", equalTo("admin"))
                .body("contactMethods[1].approvedAt", notNullValue());
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.person.updated").stream()
                .anyMatch(e -> TANAKA.equals(e.path("subject").asText())));

        // a new label keeps the approval; a new URL needs a new one
        given().auth().oauth2(tanaka).contentType(ContentType.JSON).body(withHook("https://hooks.example/tanaka", "Phone"))
                .put("/api/people/" + TANAKA).then().statusCode(200)
                .body("contactMethods[1].label", equalTo("Phone"))
                .body("contactMethods[1].approved", equalTo(true));
        given().auth().oauth2(tanaka).contentType(ContentType.JSON)
                .body(withHook("http://127.0.0.1:8180/admin/realms", "Phone"))
                .put("/api/people/" + TANAKA).then().statusCode(200)
                .body("contactMethods[1].approved", equalTo(false))
                .body("contactMethods[1].approvedBy", nullValue());
        // an admin editing something else does not approve it by the way
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(withHook("http://127.0.0.1:8180/admin/realms", "Phone").replace("\"locale\":\"ja\"", "\"locale\":\"en\""))
                .put("/api/people/" + TANAKA).then().statusCode(200)
                .body("contactMethods[1].approved", equalTo(false));
    }

    @Test
    void aWebhookAnAdminAddsIsApproved() {
        String username = uniq("hooked");
        UUID hook = UUID.randomUUID();
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("""
                        {"name":"Hook Person","username":"%s","timeZone":"UTC","locale":"en",
                         "contactMethods":[{"id":"%s","type":"webhook","address":"https://hooks.example/%s"}],
                         "notificationRules":[{"contactMethodId":"%s","delayMinutes":0}]}
                        """.formatted(username, hook, username, hook))
                .post("/api/people").then().statusCode(201)
                .body("contactMethods[0].approved", equalTo(true))
                .body("contactMethods[0].approvedBy", equalTo("admin"));
        // the admin re-points it: still approved, by them
        String id = given().auth().oauth2(admin()).get("/api/people").then().extract()
                .path("find { it.username == '" + username + "' }.id");
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("""
                        {"name":"Hook Person","username":"%s","timeZone":"UTC","locale":"en",
                         "contactMethods":[{"id":"%s","type":"webhook","address":"https://hooks.example/new"}]}
                        """.formatted(username, hook))
                .put("/api/people/" + id).then().statusCode(200)
                .body("contactMethods[0].approved", equalTo(true));
    }

    @Test
    void aWebhookMustBeAnAbsoluteHttpUrlWithAHost() {
        String tanaka = token(KeycloakTokens.TANAKA);
        for (String bad : List.of("ftp://hooks.example/x", "https://", "https:///path", "/hooks/relative",
                "hooks.example/x", "javascript:alert(1)", "http://exa mple.com/", "https://hooks.example:99999/x",
                "mailto:tanaka@toban.example")) {
            given().auth().oauth2(tanaka).contentType(ContentType.JSON).body(withHook(bad, "Bad"))
                    .put("/api/people/" + TANAKA).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("contactMethods[1].address"));
        }
        given().auth().oauth2(tanaka).contentType(ContentType.JSON).body(withHook("HTTPS://hooks.example/ok", "Fine"))
                .put("/api/people/" + TANAKA).then().statusCode(200);
    }
}
