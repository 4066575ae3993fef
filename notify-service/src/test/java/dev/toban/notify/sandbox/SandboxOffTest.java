package dev.toban.notify.sandbox;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * With a real bot token the Slack sandbox is not there at all (404 on its Web API, its response_urls and its
 * page, signed in or not); in the prod profile it is off unless enabled explicitly.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class SandboxOffTest extends NotifyTest {

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    void withARealTokenEverySandboxPathIsA404() {
        given().header("Authorization", "Bearer xoxb-sandbox").post("/sandbox/slack/api/auth.test").then().statusCode(404);
        given().get("/sandbox/slack/api/auth.test?token=xoxb-sandbox").then().statusCode(404);
        given().contentType("application/json").body("{}").post("/sandbox/slack/responses/" + java.util.UUID.randomUUID())
                .then().statusCode(404);
        given().redirects().follow(false).get("/ui/slack").then().statusCode(404);
        given().redirects().follow(false).get("/ui/slack/channels/C123").then().statusCode(404);
        given().redirects().follow(false).get("/ui/deliveries").then().statusCode(200); // the rest stays
    }

    @Test
    void notEvenASignInIsAskedFor() {
        given().redirects().follow(false).get("/ui/slack").then().statusCode(404);
        given().redirects().follow(false).get("/ui/slack/channels/C123/messages").then().statusCode(404);
    }

    @Test
    void theRule() {
        Optional<Boolean> unset = Optional.empty();
        Optional<String> none = Optional.empty();
        assertFalse(SlackSandbox.decide(unset, none, "xoxb-sandbox", List.of("prod")), "never in prod by default");
        assertFalse(SlackSandbox.decide(unset, Optional.of("xoxb-sandbox"), "xoxb-sandbox", List.of("prod")),
                "not even with the sandbox token");
        assertTrue(SlackSandbox.decide(Optional.of(true), none, "xoxb-sandbox", List.of("prod")), "unless enabled (bin/toban up)");
        assertTrue(SlackSandbox.decide(unset, none, "xoxb-sandbox", List.of("dev")));
        assertTrue(SlackSandbox.decide(unset, Optional.of("xoxb-sandbox"), "xoxb-sandbox", List.of("test")));
        assertFalse(SlackSandbox.decide(Optional.of(true), Optional.of("xoxb-1234-real"), "xoxb-sandbox", List.of("dev")),
                "a real token always wins");
        assertFalse(SlackSandbox.decide(Optional.of(false), none, "xoxb-sandbox", List.of("dev")));
        assertTrue(SlackSandbox.decide(unset, Optional.of("  "), "xoxb-sandbox", List.of("dev")), "a blank token is none");
    }
}
