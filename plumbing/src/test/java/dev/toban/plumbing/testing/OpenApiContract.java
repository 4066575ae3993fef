package dev.toban.plumbing.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What every service's OpenAPI document promises automation (docs/security.md, "API for automation"), checked
 * against the running test instance's {@code /q/openapi}: an operationId (camelCase) and a summary on every
 * operation, the Keycloak security requirement or a named credential of its own (a public operation), at least
 * one 4xx response, the server and the licence, and no page (hidden operations stay hidden).
 * <p>
 * The operationIds are committed, one file per service under {@code docs/api/operation-ids/}, so a change shows in
 * review: the document must match its service's file, and no two services' files may share an id. Run the test
 * with {@code -Dtoban.openapi.write-operation-ids=true} to rewrite the file after a deliberate change.
 */
public final class OpenApiContract {

    public static final Pattern CAMEL_CASE = Pattern.compile("[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String SCHEME = "keycloak";

    private OpenApiContract() {
    }

    /** Checks this service's document; {@code service} names its file, e.g. "incident-service". */
    public static void check(String service) throws IOException {
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode doc = new ObjectMapper().readTree(json);

        assertTrue(doc.path("servers").isArray() && !doc.path("servers").isEmpty(), "the document names its server");
        doc.path("servers").forEach(s -> assertTrue(s.path("url").asText().startsWith("http"), "server url " + s));
        assertFalse(doc.path("info").path("license").path("name").asText().isBlank(), "the document names its licence");
        JsonNode scheme = doc.path("components").path("securitySchemes").path(SCHEME);
        assertEquals("oauth2", scheme.path("type").asText(), "security scheme " + SCHEME + " is OAuth2");
        assertTrue(scheme.path("flows").path("authorizationCode").path("authorizationUrl").asText()
                .endsWith("/realms/toban/protocol/openid-connect/auth"), "authorization code flow at the realm: " + scheme);

        Map<String, String> ids = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().equals("/ui") || path.getKey().startsWith("/ui/") || path.getKey().startsWith("/sandbox")) {
                problems.add(path.getKey() + ": a page or the Slack sandbox is in the document (they are hidden)");
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> entry = ops.next();
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                String where = entry.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = entry.getValue();
                String id = op.path("operationId").asText("");
                if (!CAMEL_CASE.matcher(id).matches()) {
                    problems.add(where + ": operationId '" + id + "' is not camelCase");
                }
                if (ids.put(id, where) != null) {
                    problems.add(where + ": operationId '" + id + "' is used twice");
                }
                if (op.path("summary").asText("").isBlank()) {
                    problems.add(where + ": no summary");
                }
                JsonNode security = op.get("security");
                boolean keycloak = security != null && security.isArray() && security.size() == 1
                        && security.get(0).has(SCHEME);
                boolean ownCredential = security != null && security.isArray() && security.isEmpty()
                        && !op.path("x-toban-security").asText("").isBlank();
                if (!keycloak && !ownCredential) {
                    problems.add(where + ": neither the " + SCHEME + " security requirement nor a documented "
                            + "credential of its own (x-toban-security)");
                }
                boolean clientError = false;
                boolean success = false;
                for (Iterator<String> codes = op.path("responses").fieldNames(); codes.hasNext();) {
                    String code = codes.next();
                    clientError |= code.startsWith("4");
                    success |= code.startsWith("2") || code.startsWith("3");
                    if (code.startsWith("x-")) {
                        problems.add(where + ": extension " + code + " among the responses");
                    }
                }
                if (!clientError) {
                    problems.add(where + ": no 4xx response");
                }
                if (!success) {
                    problems.add(where + ": no success response (an @APIResponse for an error needs one for success too)");
                }
                if (keycloak && !(op.path("responses").has("401") && op.path("responses").has("403"))) {
                    problems.add(where + ": secured but without 401 and 403");
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems in " + service + "'s OpenAPI document:\n" + String.join("\n", problems));
        }
        assertFalse(ids.isEmpty(), "the document has operations");

        List<String> lines = new ArrayList<>();
        ids.forEach((id, where) -> lines.add(id + " " + where));
        Path dir = repositoryRoot().resolve("docs/api/operation-ids");
        Path file = dir.resolve(service + ".txt");
        String expected = "# operationIds of " + service + " (OpenApiContract): operationId METHOD path\n"
                + String.join("\n", lines) + "\n";
        if (Boolean.getBoolean("toban.openapi.write-operation-ids")) {
            Files.createDirectories(dir);
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), file + " is missing; run the test with -Dtoban.openapi.write-operation-ids=true");
        assertEquals(expected, Files.readString(file, StandardCharsets.UTF_8), file + " differs from the document "
                + "(a changed operationId breaks clients: rewrite it with -Dtoban.openapi.write-operation-ids=true only "
                + "if the change is meant)");

        try (Stream<Path> others = Files.list(dir)) {
            for (Path other : others.filter(p -> p.toString().endsWith(".txt") && !p.equals(file)).sorted().toList()) {
                Set<String> shared = new TreeSet<>(ids.keySet());
                shared.retainAll(idsIn(other));
                assertTrue(shared.isEmpty(), "operationIds used by " + service + " and in " + other.getFileName()
                        + ": " + shared);
            }
        }
    }

    private static Set<String> idsIn(Path file) throws IOException {
        Set<String> ids = new TreeSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                ids.add(line.split(" ", 2)[0]);
            }
        }
        return ids;
    }

    /** The repository's root: the nearest folder above the module's that holds both docs/ and plumbing/. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("plumbing"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
