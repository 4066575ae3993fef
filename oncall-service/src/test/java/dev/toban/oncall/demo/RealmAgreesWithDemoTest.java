package dev.toban.oncall.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.oncall.demo.DemoDataService.DemoPerson;
import dev.toban.oncall.people.Login;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo realm (keycloak/realm-toban.json) and the demo people agree: every demo person is a realm
 * user with the same username, name, email and language; everyone who can be on call (the rotations,
 * and the admin at the policies' second level) may act as a responder; and the directory client may read
 * users and nothing else. (The running Keycloak is shared and not re-imported by the tests, so the file
 * is checked as it will be imported.)
 */
class RealmAgreesWithDemoTest {

    static JsonNode realm;

    @BeforeAll
    static void read() throws IOException {
        Path file = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && file == null; dir = dir.getParent()) {
            Path candidate = dir.resolve("keycloak/realm-toban.json");
            if (Files.isRegularFile(candidate)) {
                file = candidate;
            }
        }
        assertNotNull(file, "keycloak/realm-toban.json above " + Path.of("").toAbsolutePath());
        realm = new ObjectMapper().readTree(file.toFile());
    }

    static JsonNode user(String username) {
        return StreamSupport.stream(realm.path("users").spliterator(), false)
                .filter(u -> username.equals(u.path("username").asText())).findFirst().orElse(null);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void everyDemoPersonIsARealmUserWithTheSameNameEmailLanguageAndRole() {
        for (DemoPerson p : DemoDataService.PEOPLE) {
            JsonNode u = user(p.username());
            assertNotNull(u, "realm user '" + p.username() + "' for demo person " + p.name());
            assertEquals(p.name(), Login.name(u.path("firstName").asText(), u.path("lastName").asText()), p.username());
            assertEquals(p.email(), u.path("email").asText(), p.username());
            assertEquals(List.of(p.locale()), texts(u.path("attributes").path("locale")), p.username());
            assertEquals(List.of(p.role()), texts(u.path("realmRoles")), p.username());
            assertTrue(u.path("enabled").asBoolean(), p.username());
            assertEquals("${TOBAN_DEMO_PASSWORD}", u.path("credentials").get(0).path("value").asText(),
                    p.username() + " signs in with the generated demo password");
        }
    }

    @Test
    void everyoneWhoCanBeOnCallMayRespond() {
        Set<UUID> onCall = new HashSet<>(DemoDataService.SERVER_ROTATION);
        onCall.addAll(DemoDataService.MOBILE_ROTATION);
        onCall.add(DemoDataService.ADMIN); // level 2 of both policies
        assertTrue(onCall.contains(DemoDataService.TAKAHASHI), "the demo's on-call IC");
        for (DemoPerson p : DemoDataService.PEOPLE) {
            if (onCall.contains(p.id())) {
                assertTrue(Set.of("responder", "admin").contains(p.role()), p.username() + " is on call: " + p.role());
            }
        }
        JsonNode takahashi = user("takahashi");
        assertNotNull(takahashi, "the demo IC Daiki Takahashi has a login");
        assertEquals(List.of("responder"), texts(takahashi.path("realmRoles")));
    }

    @Test
    void theDirectoryClientMayOnlyViewUsers() {
        JsonNode client = StreamSupport.stream(realm.path("clients").spliterator(), false)
                .filter(c -> "toban-directory".equals(c.path("clientId").asText())).findFirst().orElseThrow();
        assertFalse(client.path("publicClient").asBoolean(true), "confidential");
        assertTrue(client.path("serviceAccountsEnabled").asBoolean(), "client credentials");
        assertFalse(client.path("standardFlowEnabled").asBoolean(true), "no browser sign-in");
        assertFalse(client.path("directAccessGrantsEnabled").asBoolean(true), "no password grant");
        assertEquals("${TOBAN_DIRECTORY_CLIENT_SECRET}", client.path("secret").asText());

        JsonNode account = user("service-account-toban-directory");
        assertNotNull(account);
        assertEquals("toban-directory", account.path("serviceAccountClientId").asText());
        assertEquals(List.of("view-users"), texts(account.path("clientRoles").path("realm-management")));
        assertEquals(1, account.path("clientRoles").size(), "no other client's roles");
        assertTrue(account.path("realmRoles").isMissingNode() || account.path("realmRoles").isEmpty(),
                "no Toban role: its tokens are refused by the services");
    }
}
