package dev.toban.notify.testing;

import dev.toban.plumbing.testing.FakeSlack;
import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Shared helpers of the @QuarkusTest classes: the broker, the fake Slack and the delivery log. */
public abstract class NotifyTest {

    public static final String VHOST = "toban_test_notify";
    protected static BrokerProbe broker;

    @BeforeAll
    static void connectBroker() {
        broker = new BrokerProbe(VHOST).watch("toban.notify", "toban.notify.#");
    }

    @AfterAll
    static void closeBroker() {
        broker.close();
    }

    protected static FakeSlack slack() {
        return FakeSlack.current();
    }

    protected static String uniqueChannel(String prefix) {
        return "#" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static void publishIncident(String body) {
        broker.publish("toban.incident", Events.typeOf(body), body);
    }

    protected static void publishOnCall(String body) {
        broker.publish("toban.oncall", Events.typeOf(body), body);
    }

    protected static void publishPostmortem(String body) {
        broker.publish("toban.postmortem", Events.typeOf(body), body);
    }

    protected static String admin() {
        return KeycloakTokens.of(KeycloakTokens.ADMIN);
    }

    protected static String responder() {
        return KeycloakTokens.of(KeycloakTokens.SATO);
    }

    /** The delivery log for one query string (as admin), newest first. */
    protected static List<Map<String, Object>> deliveries(String query) {
        return given().auth().oauth2(admin()).get("/api/deliveries?limit=500&" + query)
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

    protected static List<JsonNode> notifyEvents(String type) {
        return broker.received(type);
    }
}
