package dev.toban.oncall.people;

import static dev.toban.oncall.testing.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.people.PersonLogins.SyncReport;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.oncall.testing.LoginProfile;
import dev.toban.oncall.testing.RealmUsers;
import dev.toban.oncall.testing.RealmUsers.User;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The directory sync against the real Keycloak: users this test creates in the shared realm (prefix
 * {@code t17-}, deleted afterwards) become people with their roles, changes in Keycloak reach the person
 * and their events, and a disabled or deleted user's person is archived when nothing refers to them, or
 * kept inactive (and listed on the people page) while something does.
 */
@QuarkusTest
@TestProfile(LoginProfile.class)
class DirectorySyncTest {

    static BrokerProbe broker;
    final RealmUsers realm = new RealmUsers();

    @Inject
    DirectorySync sync;

    @Inject
    DemoDataService demo;

    @BeforeAll
    static void watch() {
        broker = new BrokerProbe("toban_test_oncall").watch("toban.oncall", "toban.oncall.person.*");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @BeforeEach
    void demoData() {
        Fixtures.demo(demo); // first, so the sync links the demo users to their demo people
    }

    @AfterEach
    void deleteUsers() {
        realm.deleteAll();
    }

    /** The person of a username as the API shows it (archived ones too); null when there is none. */
    static Map<String, Object> person(String username) {
        return given().auth().oauth2(admin()).queryParam("includeArchived", true).get("/api/people").then()
                .statusCode(200).extract().jsonPath().getMap("find { it.username == '" + username + "' }");
    }

    static JsonNode lastEvent(String personId) {
        return broker.received().stream()
                .filter(e -> e.path("type").asText().startsWith("toban.oncall.person.")
                        && personId.equals(e.path("subject").asText()))
                .reduce((a, b) -> b).map(e -> e.path("data")).orElse(null);
    }

    @Test
    void aRealmUserWithATobanRoleBecomesAPersonWithTheirRolesAndSubject() {
        User kimura = realm.create("Aoi", "Kimura", "responder");
        User plain = realm.create("Nobody", "Atall"); // no Toban role: no person

        SyncReport report = sync.syncNow();

        assertTrue(report.created() >= 1, report.toString());
        Map<String, Object> p = person(kimura.username());
        assertNotNull(p, "a person for " + kimura.username());
        assertEquals("Aoi Kimura", p.get("name"));
        assertEquals(kimura.username() + "@toban.example", p.get("email"));
        assertEquals(kimura.id(), p.get("keycloakSubject"));
        assertEquals(List.of("viewer", "responder"), p.get("roles"));
        assertEquals("active", p.get("loginState"));
        assertEquals("en", p.get("locale"), "the user's locale attribute");
        assertNull(person(plain.username()), "a user without a Toban role gets no person");

        String id = (String) p.get("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received("toban.oncall.person.created").stream()
                .anyMatch(e -> id.equals(e.path("subject").asText())));
        JsonNode created = lastEvent(id);
        assertEquals("[\"viewer\",\"responder\"]", created.path("roles").toString());
        assertEquals("active", created.path("loginState").asText());

        // the demo users are linked to the demo people, not duplicated
        Map<String, Object> sato = person("sato");
        assertEquals(DemoDataService.SATO.toString(), sato.get("id"));
        assertEquals(List.of("viewer", "responder"), sato.get("roles"));
        assertNotNull(sato.get("keycloakSubject"));

        sync.syncNow();
        assertEquals(p.get("version"), person(kimura.username()).get("version"), "a sync with nothing new changes nothing");
    }

    @Test
    void aChangedNameEmailAndRoleReachThePersonAndTheirEvent() {
        User user = realm.create("Ren", "Okada", "viewer");
        sync.syncNow();
        Map<String, Object> before = person(user.username());
        String id = (String) before.get("id");
        assertEquals(List.of("viewer"), before.get("roles"));
        // the person's email contact method follows the address
        String oldEmail = user.username() + "@toban.example";
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("""
                        {"name":"Ren Okada","username":"%s","email":"%s","timeZone":"Asia/Tokyo","locale":"en",
                         "keycloakSubject":"%s",
                         "contactMethods":[{"id":"5c7e3a52-0000-4000-8000-000000000017","type":"email","address":"%s"}],
                         "notificationRules":[{"contactMethodId":"5c7e3a52-0000-4000-8000-000000000017","delayMinutes":0}]}
                        """.formatted(user.username(), oldEmail, user.id(), oldEmail))
                .put("/api/people/" + id).then().statusCode(200).body("roles", equalTo(List.of("viewer")));

        String newEmail = "ren.okada-" + user.username() + "@toban.example";
        realm.rename(user, "Ren", "Okada-Sato", newEmail);
        realm.grant(user, "admin");
        SyncReport report = sync.syncNow();

        assertTrue(report.updated() >= 1, report.toString());
        given().auth().oauth2(admin()).get("/api/people/" + id).then().statusCode(200)
                .body("name", equalTo("Ren Okada-Sato"))
                .body("email", equalTo(newEmail))
                .body("roles", equalTo(List.of("viewer", "responder", "admin")))
                .body("contactMethods[0].address", equalTo(newEmail));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode last = lastEvent(id);
            return last != null && "Ren Okada-Sato".equals(last.path("name").asText())
                    && last.path("roles").toString().equals("[\"viewer\",\"responder\",\"admin\"]")
                    && newEmail.equals(last.path("email").asText());
        });

        realm.revoke(user, "admin");
        sync.syncNow();
        given().auth().oauth2(admin()).get("/api/people/" + id).then().body("roles", equalTo(List.of("viewer")));
    }

    @Test
    void aDeletedUserIsArchivedWhenNothingReferToThemAndKeptInactiveWhileATeamStillNamesThem() {
        User free = realm.create("Kaito", "Free", "responder");
        User member = realm.create("Hina", "Member", "responder");
        sync.syncNow();
        String freeId = (String) person(free.username()).get("id");
        String memberId = (String) person(member.username()).get("id");
        String team = Fixtures.team(List.of(memberId));

        realm.delete(free);
        realm.delete(member);
        SyncReport report = sync.syncNow();

        assertTrue(report.archived() >= 1 && report.inactive() >= 1, report.toString());
        given().auth().oauth2(admin()).get("/api/people/" + freeId).then().statusCode(200)
                .body("archivedBy", equalTo(PersonLogins.SYNC_ACTOR))
                .body("loginState", equalTo("deleted"))
                .body("roles", equalTo(List.of()));
        given().auth().oauth2(admin()).get("/api/people/" + memberId).then().statusCode(200)
                .body("archivedAt", equalTo(null))
                .body("loginState", equalTo("deleted"))
                .body("roles", equalTo(List.of()))
                .body("inactiveSince", org.hamcrest.Matchers.notNullValue());
        // once the team no longer names them, the next sync archives them
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("""
                {"name":"%s","slackChannel":"#team-test","timeZone":"Asia/Tokyo","memberIds":[]}
                """.formatted(Fixtures.uniq("Team"))).put("/api/teams/" + team).then().statusCode(200);
        sync.syncNow();
        given().auth().oauth2(admin()).get("/api/people/" + memberId).then()
                .body("archivedBy", equalTo(PersonLogins.SYNC_ACTOR))
                .body("inactiveSince", equalTo(null));
    }

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void thePeoplePageListsWhoIsKeptInactiveInThePagesLanguage() {
        User member = realm.create("Yuna", "Inactive", "responder");
        sync.syncNow();
        String memberId = (String) person(member.username()).get("id");
        Fixtures.team(List.of(memberId));
        realm.enable(member, false);
        sync.syncNow();

        given().header("Accept-Language", "en").get("/ui/settings/people").then().statusCode(200)
                .body(containsString("class=\"notice inactive-people\""))
                .body(containsString("Yuna Inactive"))
                .body(containsString("Login disabled in Keycloak"));
        given().header("Accept-Language", "ja").get("/ui/settings/people/" + memberId).then().statusCode(200)
                .body(containsString("class=\"notice inactive-notice\""))
                .body(containsString("Keycloak でログインが無効"));
    }

    @Test
    void aDisabledUserLosesTheirRolesAndIsBackWhenEnabledAgain() {
        User user = realm.create("Sora", "Aoki", "responder");
        sync.syncNow();
        String id = (String) person(user.username()).get("id");

        realm.enable(user, false);
        sync.syncNow();
        given().auth().oauth2(admin()).get("/api/people/" + id).then()
                .body("loginState", equalTo("disabled"))
                .body("roles", equalTo(List.of()))
                .body("archivedBy", equalTo(PersonLogins.SYNC_ACTOR));

        realm.enable(user, true);
        sync.syncNow();
        given().auth().oauth2(admin()).get("/api/people/" + id).then()
                .body("loginState", equalTo("active"))
                .body("roles", equalTo(List.of("viewer", "responder")))
                .body("archivedAt", equalTo(null));
    }

    @Test
    void aPersonAnAdminArchivedStaysArchived() {
        User user = realm.create("Mio", "Kept", "responder");
        sync.syncNow();
        String id = (String) person(user.username()).get("id");
        given().auth().oauth2(admin()).post("/api/people/" + id + "/archive").then().statusCode(200);

        sync.syncNow();

        given().auth().oauth2(admin()).get("/api/people/" + id).then()
                .body("archivedBy", equalTo(KeycloakTokens.ADMIN));
    }

    @Test
    void onlyAnAdminSyncsByHand() {
        given().auth().oauth2(Fixtures.token(KeycloakTokens.SATO)).post("/api/people/sync").then().statusCode(403);
        given().auth().oauth2(admin()).post("/api/people/sync").then().statusCode(200)
                .body("users", org.hamcrest.Matchers.greaterThanOrEqualTo(5))
                .body("conflicts", org.hamcrest.Matchers.notNullValue());
    }
}
