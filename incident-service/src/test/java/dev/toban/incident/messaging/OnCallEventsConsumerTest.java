package dev.toban.incident.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** oncall-service's team events arrive over the real RabbitMQ and are applied exactly once. */
@QuarkusTest
class OnCallEventsConsumerTest {

    /** Metrics answer on the management interface (relative to its root, /q). */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    static final String DLQ = "incident-service.oncall-events.dlq";
    static BrokerProbe broker;

    @BeforeAll
    static void connect() {
        broker = new BrokerProbe("toban_test_incident");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    static String teamEvent(String eventId, UUID teamId, String name, long version) {
        return """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.created",
                 "time":"2026-11-25T10:00:00Z","subject":"%s","datacontenttype":"application/json",
                 "data":{"id":"%s","name":"%s","slackChannel":"#team-x","timeZone":"Asia/Tokyo",
                         "updatedAt":"2026-11-25T10:00:00Z","version":%d}}
                """.formatted(eventId, teamId, teamId, name, version);
    }

    static void publish(String body) {
        broker.publish("toban.oncall", "toban.oncall.team.created", body);
    }

    static String teamName(UUID id) {
        JsonPath teams = given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/teams")
                .then().statusCode(200).extract().jsonPath();
        return teams.getString("find { it.id == '" + id + "' }.name");
    }

    @Test
    void teamEventIsApplied() {
        UUID team = UUID.randomUUID();
        publish(teamEvent(UUID.randomUUID().toString(), team, "Server", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Server".equals(teamName(team)));
    }

    @Test
    void theSameEventDeliveredTwiceHasOneEffect() {
        UUID team = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        publish(teamEvent(eventId, team, "First", 0));
        // same CloudEvents id again: a redelivery must not be applied, whatever it carries
        publish(teamEvent(eventId, team, "Second", 1));
        UUID marker = UUID.randomUUID();
        publish(teamEvent(UUID.randomUUID().toString(), marker, "Marker", 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> "Marker".equals(teamName(marker)));
        assertEquals("First", teamName(team));
    }

    @Test
    void teamMembersAndPeopleAreKeptForIncidentEvents() {
        UUID team = UUID.randomUUID();
        UUID person = UUID.randomUUID();
        broker.publish("toban.oncall", "toban.oncall.person.updated", personEvent(person, "Aiko Mori", 3));
        broker.publish("toban.oncall", "toban.oncall.team.updated", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.updated",
                 "subject":"%s","data":{"id":"%s","name":"Data","slackChannel":"#team-data","timeZone":"Asia/Tokyo",
                 "memberIds":["%s"],"updatedAt":"2026-11-25T10:00:00Z","version":2}}""".formatted(UUID.randomUUID(), team,
                team, person));
        await().atMost(Duration.ofSeconds(10)).until(() -> person.toString().equals(
                given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/teams").then().extract()
                        .jsonPath().getString("find { it.id == '" + team + "' }.memberIds[0]")));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Aiko Mori".equals(
                dev.toban.incident.support.TestStack.single("select name from person where id = ?", person)));
        // an older announcement arriving late changes nothing
        broker.publish("toban.oncall", "toban.oncall.person.updated", personEvent(person, "Old Name", 2));
        broker.publish("toban.oncall", "toban.oncall.person.updated", personEvent(person, "Aiko Mori-Sato", 4));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Aiko Mori-Sato".equals(
                dev.toban.incident.support.TestStack.single("select name from person where id = ?", person)));
        assertEquals("mori", dev.toban.incident.support.TestStack.single("select username from person where id = ?", person));
    }

    @Test
    void personEventsCarryTheRealmRolesOncallServiceMirrorsAndTheArchiveMark() {
        UUID person = UUID.randomUUID();
        java.util.function.Function<String, String> event = data -> """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.person.updated",
                 "subject":"%s","data":{"id":"%s","name":"Rin Kato","username":"kato","email":"kato@toban.example",
                 %s}}""".formatted(UUID.randomUUID(), person, person, data);
        java.util.function.Supplier<Object> roles = () -> dev.toban.incident.support.TestStack.single(
                "select roles from person where id = ?", person);
        broker.publish("toban.oncall", "toban.oncall.person.created", event.apply("\"version\":1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> dev.toban.incident.support.TestStack.count(
                "select count(*) from person where id = ?", person) == 1);
        assertEquals(null, roles.get(), "no roles said: none known (no responder from Slack)");
        // a list, expanded as the realm's composite roles are
        broker.publish("toban.oncall", "toban.oncall.person.updated", event.apply("\"roles\":[\"admin\"],\"version\":2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "viewer,responder,admin".equals(roles.get()));
        // or one name in "role"; unknown names are ignored
        broker.publish("toban.oncall", "toban.oncall.person.updated",
                event.apply("\"role\":\"Responder\",\"roles\":[\"offline_access\"],\"version\":3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "viewer,responder".equals(roles.get()));
        broker.publish("toban.oncall", "toban.oncall.person.updated", event.apply(
                "\"roles\":\"viewer\",\"archived\":true,\"archivedAt\":\"2026-12-01T00:00:00Z\",\"version\":4"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "viewer".equals(roles.get()));
        assertEquals(java.time.OffsetDateTime.parse("2026-12-01T00:00:00Z").toInstant(),
                ((java.time.OffsetDateTime) dev.toban.incident.support.TestStack.single(
                        "select archived_at from person where id = ?", person)).toInstant());
    }

    static String personEvent(UUID id, String name, long version) {
        return """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.person.updated",
                 "subject":"%s","data":{"id":"%s","name":"%s","username":"mori","email":"mori@toban.example",
                 "slackUserId":"U0MORI","timeZone":"Asia/Tokyo","locale":"ja","version":%d}}""".formatted(UUID.randomUUID(),
                id, id, name, version);
    }

    @Test
    void poisonedMessagesGoToTheDeadLetterQueueWithoutBlockingTheOthers() {
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.depth(DLQ) >= 0);
        long before = broker.depth(DLQ);

        publish("this is not a CloudEvent");
        publish("""
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.created",
                 "data":{"name":"no id, no version"}}""".formatted(UUID.randomUUID()));
        UUID team = UUID.randomUUID();
        publish(teamEvent(UUID.randomUUID().toString(), team, "AfterThePoison", 0));

        await().atMost(Duration.ofSeconds(15)).until(() -> "AfterThePoison".equals(teamName(team)));
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.depth(DLQ) == before + 2);
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        assertEquals(true, metrics.contains("toban_events_dead_lettered_total{consumer=\"incident-service.oncall-events\""),
                "dead letters are counted in a metric");
    }

    @Test
    void teamEventsCarryTheArchiveMarkAndAnArchiveEventWithLessDataStillRecordsIt() {
        UUID team = UUID.randomUUID();
        publish(teamEvent(UUID.randomUUID().toString(), team, "Platform", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Platform".equals(teamName(team)));
        // the contract: archivedAt in the team's data (null while active)
        broker.publish("toban.oncall", "toban.oncall.team.updated", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.updated",
                 "subject":"%s","data":{"id":"%s","name":"Platform","slackChannel":"#team-x","timeZone":"Asia/Tokyo",
                 "updatedAt":"2026-11-26T10:00:00Z","version":2,"archivedAt":"2026-11-26T10:00:00Z"}}"""
                .formatted(UUID.randomUUID(), team, team));
        await().atMost(Duration.ofSeconds(10)).until(() -> "2026-11-26T10:00:00Z".equals(archivedAt(team)));
        broker.publish("toban.oncall", "toban.oncall.team.updated", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.updated",
                 "subject":"%s","data":{"id":"%s","name":"Platform","slackChannel":"#team-x","timeZone":"Asia/Tokyo",
                 "updatedAt":"2026-11-27T10:00:00Z","version":3,"archivedAt":null}}"""
                .formatted(UUID.randomUUID(), team, team));
        await().atMost(Duration.ofSeconds(10)).until(() -> archivedAt(team) == null);
        // an archive event that names only the team: the mark is recorded, at the event's time
        broker.publish("toban.oncall", "toban.oncall.team.archived", """
                {"specversion":"1.0","id":"%s","source":"/toban/oncall-service","type":"toban.oncall.team.archived",
                 "time":"2026-11-28T10:00:00Z","subject":"%s","data":{"id":"%s","version":4}}"""
                .formatted(UUID.randomUUID(), team, team));
        await().atMost(Duration.ofSeconds(10)).until(() -> "2026-11-28T10:00:00Z".equals(archivedAt(team)));
        assertEquals("Platform", teamName(team));
    }

    static String archivedAt(UUID team) {
        return given().auth().oauth2(KeycloakTokens.of(KeycloakTokens.YAMADA)).get("/api/teams").then().statusCode(200)
                .extract().jsonPath().getString("find { it.id == '" + team + "' }.archivedAt");
    }
}
