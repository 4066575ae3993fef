package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Every link incident-service hands out starts at its one public URL (toban.web.links.incident) and leads to a
 * page or endpoint that answers: the incident's {@code url} (API and events) is its IC console.
 */
@QuarkusTest
class IncidentLinksTest {

    static final String BASE = ConfigProvider.getConfig().getValue("toban.web.links.incident", String.class)
            .replaceAll("/+$", "");

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void theIncidentUrlIsItsConsoleAndTheEventsCarryTheSame() {
        String[] service = TestStack.service("Links", UUID.randomUUID());
        String dedup = "links-" + UUID.randomUUID();
        enqueue(trigger(service[1], dedup, "Links lead somewhere", "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        String url = as(KeycloakTokens.YAMADA).get("/api/incidents/" + id).then().statusCode(200).extract().path("url");
        assertEquals(BASE + "/ui/incidents/" + id, url);
        assertEquals(url, TestStack.awaitEvent("toban.incident.triggered", id).at("/data/incident/url").asText());
        // followed on this server (the public host is the same service): the console, not a 404
        given().redirects().follow(false).get(URI.create(url).getPath()).then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("Links lead somewhere"));
    }

    @Test
    void aNewKeysEndpointIsWhereEventsAreAccepted() {
        String id = TestStack.service("Endpoint", UUID.randomUUID())[0];
        var created = as(KeycloakTokens.ADMIN).body("{\"name\":\"check\",\"type\":\"events_v2\"}")
                .post("/api/services/" + id + "/integration-keys").then().statusCode(201).extract().jsonPath();
        String endpoint = created.getString("endpoint");
        assertTrue(endpoint.startsWith(BASE + "/"), endpoint);
        given().contentType(ContentType.JSON).body(trigger(created.getString("key"), "ep-" + UUID.randomUUID(), "Endpoint",
                "info")).post(URI.create(endpoint).getPath()).then().statusCode(202);
        var am = as(KeycloakTokens.ADMIN).body("{\"name\":\"am\",\"type\":\"alertmanager\"}")
                .post("/api/services/" + id + "/integration-keys").then().statusCode(201).extract().jsonPath();
        assertEquals(BASE + "/integrations/alertmanager/" + am.getString("key"), am.getString("endpoint"));
    }
}
