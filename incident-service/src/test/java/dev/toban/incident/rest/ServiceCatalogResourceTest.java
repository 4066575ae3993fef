package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.NEWS_API;
import static dev.toban.incident.support.TestStack.TEAM_MOBILE;
import static dev.toban.incident.support.TestStack.TEAM_SERVER;
import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.ingestion.IntegrationKeys;
import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog: admins manage services and keys; everyone signed in sees who owns what. */
@QuarkusTest
class ServiceCatalogResourceTest {

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    static String body(String name, UUID team) {
        return """
                {"name":"%s","description":"Search","owningTeamId":"%s","escalationPolicyId":"%s",
                 "runbookUrl":"https://runbooks.example/search","slackChannel":"#svc-search"}"""
                .formatted(name, team, TestStack.POLICY_SERVER);
    }

    @Test
    void theDemoCatalogIsThereWithItsOwners() {
        as(KeycloakTokens.YAMADA).get("/api/services").then().statusCode(200)
                .body("name", hasItems("News API", "Mobile App", "Triage (SOS)"))
                .body("find { it.name == 'News API' }.owningTeam.name", equalTo("Server"))
                .body("find { it.name == 'Mobile App' }.owningTeam.name", equalTo("Mobile"))
                .body("find { it.name == 'News API' }.runbookUrl", equalTo("https://runbooks.example/news-api"))
                .body("find { it.name == 'News API' }.integrationKeys[0].last4", equalTo(TestStack.DEMO_KEY.substring(28)));
        // the configured demo key pages News API
        TestStack.enqueue(TestStack.trigger(TestStack.DEMO_KEY, "demo-" + UUID.randomUUID(), "Demo page", "info"))
                .then().statusCode(202);
    }

    @Test
    void adminCreatesUpdatesAndKeysAService() {
        String name = "Search " + UUID.randomUUID();
        String id = as(KeycloakTokens.ADMIN).body(body(name, TEAM_SERVER)).post("/api/services").then().statusCode(201)
                .body("owningTeam.name", equalTo("Server"))
                .body("escalationPolicyId", equalTo(TestStack.POLICY_SERVER.toString()))
                .extract().path("id");
        as(KeycloakTokens.ADMIN).body(body(name, TEAM_MOBILE)).put("/api/services/" + id).then().statusCode(200)
                .body("owningTeam.name", equalTo("Mobile"));

        String key = as(KeycloakTokens.ADMIN).body("{\"name\":\"Grafana\",\"type\":\"events_v2\"}")
                .post("/api/services/" + id + "/integration-keys").then().statusCode(201)
                .body("key", matchesPattern("[a-z0-9]{32}"))
                .body("endpoint", equalTo("http://localhost:8082/v2/enqueue"))
                .extract().path("key");
        as(KeycloakTokens.ADMIN).get("/api/services/" + id + "/integration-keys").then().statusCode(200)
                .body("[0].last4", equalTo(key.substring(28)))
                .body("[0]", not(hasKey("key")))
                .body("[0].active", equalTo(true));
        assertEquals(1, count("select count(*) from integration_key where key_hash = ?", IntegrationKeys.hash(key)));
        assertEquals(0, count("select count(*) from integration_key where key_hash = ?", key), "the key itself is never stored");
        as(KeycloakTokens.YAMADA).get("/api/services/" + id).then().statusCode(200)
                .body("integrationKeys[0]", not(hasKey("key")));
    }

    @Test
    void onlyAdminsManageTheCatalog() {
        as(KeycloakTokens.SATO).body(body("Responder service", TEAM_SERVER)).post("/api/services").then().statusCode(403);
        as(KeycloakTokens.YAMADA).body(body("Viewer service", TEAM_SERVER)).post("/api/services").then().statusCode(403);
        as(KeycloakTokens.SATO).body("{\"name\":\"k\",\"type\":\"events_v2\"}")
                .post("/api/services/" + NEWS_API + "/integration-keys").then().statusCode(403);
        as(KeycloakTokens.SATO).get("/api/services/" + NEWS_API + "/integration-keys").then().statusCode(403);
        given().get("/api/services").then().statusCode(401);
        as(KeycloakTokens.YAMADA).get("/api/services").then().body("name", not(hasItem("Responder service")));
    }

    @Test
    void badInputIsAProblemThatNamesTheField() {
        long before = count("select count(*) from technical_service");
        as(KeycloakTokens.ADMIN).body("{\"name\":\"\",\"owningTeamId\":\"not-a-uuid\"}").post("/api/services").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("owningTeamId"));
        as(KeycloakTokens.ADMIN).body("""
                {"name":"","owningTeamId":"%s","runbookUrl":"ftp://x","slackChannel":"bad channel!"}""".formatted(TEAM_SERVER))
                .post("/api/services").then().statusCode(400)
                .body("errors.field", hasItems("name", "escalationPolicyId", "runbookUrl", "slackChannel"));
        as(KeycloakTokens.ADMIN).body(body("News API", TEAM_SERVER)).post("/api/services").then().statusCode(409)
                .body("errors[0].field", equalTo("name"));
        as(KeycloakTokens.ADMIN).body("{\"name\":\"k\",\"type\":\"smtp\"}")
                .post("/api/services/" + NEWS_API + "/integration-keys").then().statusCode(400)
                .body("errors[0].field", equalTo("type"));
        as(KeycloakTokens.ADMIN).contentType(ContentType.JSON).body("{\"name\": \"Trunc")
                .post("/api/services").then().statusCode(400).contentType("application/problem+json");
        as(KeycloakTokens.ADMIN).get("/api/services/" + UUID.randomUUID()).then().statusCode(404);
        assertEquals(before, count("select count(*) from technical_service"));
    }

    @Test
    void generatedKeysAreRandomAnd32Characters() {
        String a = IntegrationKeys.generate();
        String b = IntegrationKeys.generate();
        assertEquals(32, a.length());
        assertTrue(!a.equals(b));
    }
}
