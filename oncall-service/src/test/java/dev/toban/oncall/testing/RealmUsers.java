package dev.toban.oncall.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.plumbing.testing.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Users of the shared {@code toban} realm that one test creates and deletes itself, through Keycloak's
 * admin API as the master realm's administrator ({@code kcadmin}, bin/toban's bootstrap admin). Every
 * username starts with {@link #PREFIX} and a random part, so no test touches the demo users or another
 * suite's users. {@link #deleteAll()} removes whatever this instance created that is still there.
 */
public final class RealmUsers implements AutoCloseable {

    public static final String PREFIX = "t17-";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user this test made: Keycloak's id (the tokens' {@code sub}), username and password. */
    public record User(String id, String username, String password) {
    }

    private final List<User> created = new ArrayList<>();

    /** A new enabled user with a name, an email {@code <username>@toban.example} and these realm roles. */
    public User create(String firstName, String lastName, String... realmRoles) {
        String username = PREFIX + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        ObjectNode user = JSON.createObjectNode()
                .put("username", username).put("enabled", true).put("emailVerified", true)
                .put("firstName", firstName).put("lastName", lastName).put("email", username + "@toban.example");
        user.putObject("attributes").putArray("locale").add("en");
        user.putArray("credentials").addObject().put("type", "password").put("value", password).put("temporary", false);
        HttpResponse<String> response = send("POST", "/users", user.toString());
        expect(response, 201);
        String location = response.headers().firstValue("Location").orElseThrow();
        User made = new User(location.substring(location.lastIndexOf('/') + 1), username, password);
        created.add(made);
        for (String role : realmRoles) {
            grant(made, role);
        }
        return made;
    }

    public void grant(User user, String realmRole) {
        expect(send("POST", "/users/" + user.id() + "/role-mappings/realm", "[" + role(realmRole) + "]"), 204);
    }

    public void revoke(User user, String realmRole) {
        expect(send("DELETE", "/users/" + user.id() + "/role-mappings/realm", "[" + role(realmRole) + "]"), 204);
    }

    /** Changes the user's name and email (the rest of the representation as Keycloak has it). */
    public void rename(User user, String firstName, String lastName, String email) {
        ObjectNode rep = representation(user);
        rep.put("firstName", firstName).put("lastName", lastName).put("email", email);
        expect(send("PUT", "/users/" + user.id(), rep.toString()), 204);
    }

    public void enable(User user, boolean enabled) {
        ObjectNode rep = representation(user);
        rep.put("enabled", enabled);
        expect(send("PUT", "/users/" + user.id(), rep.toString()), 204);
    }

    public void delete(User user) {
        HttpResponse<String> response = send("DELETE", "/users/" + user.id(), null);
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            throw new IllegalStateException("Keycloak did not delete " + user.username() + ": " + response.statusCode());
        }
        created.remove(user);
    }

    /** An access token of the user through the public toban-cli client, as a script or the CLI gets one. */
    public String token(User user) {
        String form = Map.of("grant_type", "password", "client_id", "toban-cli", "username", user.username(),
                        "password", user.password(), "scope", "openid").entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        JsonNode body = tokenRequest("toban", form);
        return body.path("access_token").asText();
    }

    public void deleteAll() {
        for (User user : List.copyOf(created)) {
            delete(user);
        }
    }

    @Override
    public void close() {
        deleteAll();
    }

    private ObjectNode representation(User user) {
        HttpResponse<String> response = send("GET", "/users/" + user.id(), null);
        expect(response, 200);
        return (ObjectNode) read(response.body());
    }

    private String role(String name) {
        HttpResponse<String> response = send("GET", "/roles/" + name, null);
        expect(response, 200);
        return response.body();
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(LocalStack.keycloakUrl() + "/admin/realms/toban" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + LocalStack.keycloakUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username="
                + URLEncoder.encode(LocalStack.get("KEYCLOAK_ADMIN_USER", "kcadmin"), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(LocalStack.get("KEYCLOAK_ADMIN_PASSWORD", ""), StandardCharsets.UTF_8);
        return tokenRequest("master", form).path("access_token").asText();
    }

    private static JsonNode tokenRequest(String realm, String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        LocalStack.keycloakUrl() + "/realms/" + realm + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token in realm " + realm + " ("
                        + response.statusCode() + "): " + response.body());
            }
            return read(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + LocalStack.keycloakUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("Keycloak answered " + response.statusCode() + " (expected " + status + "): "
                    + response.body());
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
