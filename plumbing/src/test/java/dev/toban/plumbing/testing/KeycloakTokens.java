package dev.toban.plumbing.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Access tokens from the real Keycloak for the demo users and for the service client. */
public final class KeycloakTokens {

    public static final String ADMIN = "admin";
    /** Server engineers (responder). */
    public static final String SATO = "sato";
    public static final String SUZUKI = "suzuki";
    /** Mobile engineer (responder). */
    public static final String TANAKA = "tanaka";
    /** Business member: viewer only. */
    public static final String YAMADA = "yamada";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private record Cached(String token, Instant expires) {
    }

    private KeycloakTokens() {
    }

    /** A token for a demo user through the public {@code toban-cli} client (password grant). */
    public static String of(String username) {
        return cached("user:" + username, () -> request(Map.of(
                "grant_type", "password",
                "client_id", "toban-cli",
                "username", username,
                "password", LocalStack.demoPassword(),
                "scope", "openid")));
    }

    /**
     * A token a demo user gets through another client of the realm ({@code admin-cli} is there by
     * default): valid and signed by the same realm, but not issued for Toban (no {@code toban} audience).
     */
    public static String ofClient(String clientId, String username) {
        return cached("client:" + clientId + ":" + username, () -> request(Map.of(
                "grant_type", "password",
                "client_id", clientId,
                "username", username,
                "password", LocalStack.demoPassword())));
    }

    /** A client-credentials token of {@code toban-service}, as the services use between themselves. */
    public static String service() {
        return cached("service", () -> request(Map.of(
                "grant_type", "client_credentials",
                "client_id", "toban-service",
                "client_secret", LocalStack.get("TOBAN_SERVICE_CLIENT_SECRET", ""))));
    }

    private static String cached(String key, java.util.function.Supplier<JsonNode> fetch) {
        // one sign-in per user at a time: with brute-force protection on, Keycloak refuses concurrent
        // logins of one user ("Invalid user credentials"), see keycloak/keycloak#33527
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            Cached hit = CACHE.get(key);
            if (hit != null && Instant.now().isBefore(hit.expires())) {
                return hit.token();
            }
            JsonNode body = fetch.get();
            String token = body.path("access_token").asText();
            long lifetime = body.path("expires_in").asLong(60);
            CACHE.put(key, new Cached(token, Instant.now().plusSeconds(Math.max(5, lifetime - 30))));
            return token;
        }
    }

    private static JsonNode request(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        LocalStack.keycloakUrl() + "/realms/toban/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token (" + response.statusCode() + "): " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + LocalStack.keycloakUrl()
                    + "; start it with bin/toban stack", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
