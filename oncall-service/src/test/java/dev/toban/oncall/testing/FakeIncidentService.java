package dev.toban.oncall.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.toban.plumbing.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for incident-service's {@code GET /api/services?owningTeamId=|escalationPolicyId=} (another
 * Toban service, not started by this module's tests): a plain HTTP server on localhost that answers what
 * the test set for the query, {@code []} otherwise, and 403 to a token without the {@code service} role,
 * as incident-service would. The client gets the real client-credentials token from Keycloak.
 */
public class FakeIncidentService implements QuarkusTestResourceLifecycleManager {

    /** A request as it arrived. */
    public record Request(String query, String authorization) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    private static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/services", FakeIncidentService::handle);
        server.createContext("/api/maintenance-windows", FakeIncidentService::handleWindows);
        server.start();
        return Map.of(
                "quarkus.rest-client.incident.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "quarkus.oidc-client.credentials.secret", LocalStack.get("TOBAN_SERVICE_CLIENT_SECRET", ""));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** incident-service's answer to {@code ?<parameter>=<id>}: services as {@code {id, name}}. */
    public static void services(String parameter, UUID id, String... names) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < names.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"name\":\"")
                    .append(names[i]).append("\"}");
        }
        ANSWERS.put(parameter + "=" + id, json.append("]").toString());
    }

    private static volatile int windowsStatus = 200;
    private static volatile String windowsBody = "[]";

    /** incident-service's answer to {@code GET /api/maintenance-windows}. */
    public static void windows(int status, String body) {
        windowsStatus = status;
        windowsBody = body;
    }

    private static void handleWindows(HttpExchange exchange) throws IOException {
        if (!hasServiceRole(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 403, "{\"title\":\"Forbidden\",\"status\":403}");
        } else {
            answer(exchange, windowsStatus, windowsBody);
        }
    }

    public static List<Request> requests(String parameter, UUID id) {
        return REQUESTS.stream().filter(r -> (parameter + "=" + id).equals(r.query())).toList();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        REQUESTS.add(new Request(query, authorization));
        if (!"GET".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{}");
        } else if (!hasServiceRole(authorization)) {
            answer(exchange, 403, "{\"title\":\"Forbidden\",\"status\":403}");
        } else {
            answer(exchange, 200, ANSWERS.getOrDefault(query, "[]"));
        }
    }

    /** Reads the roles of the bearer token (Keycloak signed it; checking the signature is incident-service's job). */
    private static boolean hasServiceRole(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            for (JsonNode role : claims.path("realm_access").path("roles")) {
                if ("service".equals(role.asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
