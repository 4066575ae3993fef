package dev.toban.postmortem.rest;

import static dev.toban.postmortem.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.testing.GreenMailResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(GreenMailResource.class)
class BacklogWebhookResourceTest {

    static String hook(UUID team, String kind, String url) {
        return "{\"teamId\":\"" + team + "\",\"kind\":\"" + kind + "\",\"url\":\"" + url + "\",\"secret\":\"t0ken\""
                + (kind.equals("jira") ? ",\"jiraProjectKey\":\"OPS\"" : "") + "}";
    }

    @Test
    void adminsManageWebhooksAndSecretsStayHidden() {
        UUID team = UUID.randomUUID();
        String id = as(KeycloakTokens.ADMIN).body(hook(team, "github", "https://api.github.com/repos/acme/api/issues"))
                .post("/api/backlog-webhooks").then().statusCode(201).body("hasSecret", equalTo(true))
                .body("$", not(org.hamcrest.Matchers.hasKey("secret"))).extract().path("id");
        as(KeycloakTokens.ADMIN).body(hook(team, "github", "https://api.github.com/repos/acme/other/issues"))
                .post("/api/backlog-webhooks").then().statusCode(409).body("errors[0].field", equalTo("teamId"));
        as(KeycloakTokens.SATO).get("/api/backlog-webhooks").then().statusCode(200).body("id", hasItem(id));
        as(KeycloakTokens.ADMIN).body(hook(team, "jira", "https://acme.atlassian.net/rest/api/2/issue").replace(",\"secret\":\"t0ken\"", ""))
                .put("/api/backlog-webhooks/" + id).then().statusCode(200).body("kind", equalTo("jira"))
                .body("hasSecret", equalTo(true)).body("jiraProjectKey", equalTo("OPS"));
        as(KeycloakTokens.ADMIN).delete("/api/backlog-webhooks/" + id).then().statusCode(204);
        as(KeycloakTokens.ADMIN).get("/api/backlog-webhooks/" + id).then().statusCode(404);
    }

    @Test
    void onlyAdminsWrite() {
        as(KeycloakTokens.SATO).body(hook(UUID.randomUUID(), "github", "https://x.example/issues"))
                .post("/api/backlog-webhooks").then().statusCode(403);
        as(KeycloakTokens.YAMADA).get("/api/backlog-webhooks").then().statusCode(403);
    }

    @Test
    void badWebhooksAre400s() {
        as(KeycloakTokens.ADMIN).body(hook(UUID.randomUUID(), "github", "ftp://x.example/issues"))
                .post("/api/backlog-webhooks").then().statusCode(400).body("errors[0].field", equalTo("url"));
        as(KeycloakTokens.ADMIN).body(hook(UUID.randomUUID(), "github", "not a url"))
                .post("/api/backlog-webhooks").then().statusCode(400).body("errors[0].field", equalTo("url"));
        as(KeycloakTokens.ADMIN).body(hook(UUID.randomUUID(), "gitlab", "https://x.example/issues"))
                .post("/api/backlog-webhooks").then().statusCode(400).body("errors[0].field", equalTo("kind"));
        as(KeycloakTokens.ADMIN).body(hook(UUID.randomUUID(), "jira", "https://x.example/rest/api/2/issue").replace(",\"jiraProjectKey\":\"OPS\"", ""))
                .post("/api/backlog-webhooks").then().statusCode(400).body("errors[0].field", equalTo("jiraProjectKey"));
        as(KeycloakTokens.ADMIN).body(hook(UUID.randomUUID(), "jira", "https://x.example/rest/api/2/issue").replace("OPS", "ops key"))
                .post("/api/backlog-webhooks").then().statusCode(400).body("errors[0].field", equalTo("jiraProjectKey"));
        as(KeycloakTokens.ADMIN).body("{\"kind\":\"github\",\"url\":\"https://x.example\"}")
                .post("/api/backlog-webhooks").then().statusCode(400).body("errors[0].field", equalTo("teamId"));
    }
}
