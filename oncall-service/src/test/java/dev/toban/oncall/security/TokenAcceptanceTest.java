package dev.toban.oncall.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.CountingProxy;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.plumbing.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which bearer tokens the APIs accept, and what a refused one costs: every service reads the same
 * plumbing settings, so one service's test covers them. Keycloak is reached through a counting proxy.
 */
@QuarkusTest
@TestProfile(TokenAcceptanceTest.ThroughProxy.class)
class TokenAcceptanceTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    static CountingProxy proxy;

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxyResource.class));
        }
    }

    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                proxy = new CountingProxy(URI.create(LocalStack.keycloakUrl()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // no discovery: every call of the bearer tenant goes through the proxy, the issuer stays Keycloak's
            return Map.of(
                    "quarkus.oidc.auth-server-url", proxy.url() + "/realms/toban",
                    "quarkus.oidc.discovery-enabled", "false",
                    "quarkus.oidc.jwks-path", "protocol/openid-connect/certs",
                    "quarkus.oidc.introspection-path", "protocol/openid-connect/token/introspect",
                    "quarkus.oidc.token.issuer", LocalStack.keycloakUrl() + "/realms/toban");
        }

        @Override
        public void stop() {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    void aBurstOfGarbageTokensCostsNoKeycloakCall() {
        // warm up: a real token makes the service fetch the realm's keys once
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/teams").then().statusCode(200);
        proxy.reset();
        for (int i = 0; i < 100; i++) {
            given().auth().oauth2(randomOpaque()).get("/api/teams").then().statusCode(401);
            given().auth().oauth2(forgedJwt()).get("/api/teams").then().statusCode(401);
        }
        given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/teams").then().statusCode(200);
        // an unknown key id may refresh the key set at most once per forced-jwk-refresh-interval
        List<String> calls = proxy.requests();
        assertTrue(calls.size() <= 1 && calls.stream().noneMatch(c -> c.contains("introspect")),
                "Keycloak calls for 200 garbage tokens: " + calls.size() + " " + new java.util.TreeSet<>(calls));
    }

    @Test
    void aTokenIssuedToAnotherClientOfTheRealmIsNotATobanToken() {
        String foreign = KeycloakTokens.ofClient("admin-cli", KeycloakTokens.ADMIN);
        given().auth().oauth2(foreign).get("/api/teams").then().statusCode(401);
        assertEquals(200, given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.ADMIN)).get("/api/teams")
                .then().extract().statusCode());
        assertEquals(200, given().auth().oauth2(KeycloakTokens.service()).get("/api/oncall/now")
                .then().extract().statusCode());
    }

    private static String randomOpaque() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A well-formed JWT signed by nobody, with a key id the realm never had. */
    private static String forgedJwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + randomOpaque() + "\"}";
        String payload = "{\"iss\":\"" + LocalStack.keycloakUrl() + "/realms/toban\",\"sub\":\"x\",\"aud\":\"toban\","
                + "\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + ",\"realm_access\":{\"roles\":[\"admin\"]}}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + randomOpaque() + randomOpaque();
    }
}
