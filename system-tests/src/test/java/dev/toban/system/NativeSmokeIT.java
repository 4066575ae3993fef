package dev.toban.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.testing.FakeSlack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import net.fortuna.ical4j.model.Calendar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The native executables behave as the JVM services do (issue 21). {@code bin/toban native} builds them and runs
 * this with {@code -Dtoban.it.flavor=native}; it runs the same smoke on the JVM services first, in the same run, so
 * the figures it prints (start-up, RSS) compare like with like. The smoke checks behaviour, because the native
 * failures seen so far were silent: records written as {@code {}}, pages with blank labels.
 * <ol>
 * <li>an Events API trigger becomes an incident whose IC is the person on call;</li>
 * <li>its timeline's actors have names;</li>
 * <li>notify-service consumes {@code triggered}: the parent at the fake Slack is the rendered template, and the IC
 * is paged by DM;</li>
 * <li>a page, after a Keycloak sign-in in chromium, shows its labels;</li>
 * <li>an iCal feed answers with a calendar of the rota;</li>
 * <li>the postmortem's invitation is mailed as an iCalendar request;</li>
 * <li>each service stops gracefully on SIGTERM, then starts again alone (start-up time measured).</li>
 * </ol>
 */
@Tag("native")
@EnabledIfSystemProperty(named = "toban.it.flavor", matches = "native")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeSmokeIT {

    static final Duration WAIT = Duration.ofSeconds(45);
    /** What each run measured, printed as a table at the end. */
    static final List<Figures> FIGURES = new ArrayList<>();

    record Figures(String service, String flavor, double startedTogether, double startedAlone, long readyAloneMillis,
                   long rssMebibytes, double stopSeconds) {
    }

    @Test
    @Order(1)
    void theJvmServicesPassTheSmoke() throws Exception {
        smoke("jvm");
    }

    @Test
    @Order(2)
    void theNativeServicesPassTheSameSmoke() throws Exception {
        smoke("native");
    }

    @AfterAll
    static void printFigures() throws IOException {
        StringBuilder table = new StringBuilder("| service | flavor | started (all four together) | started alone | "
                + "ready alone (wall) | RSS after the smoke | SIGTERM to exit |\n|---|---|---|---|---|---|---|\n");
        for (Figures f : FIGURES) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %.3f s | %.3f s | %d ms | %d MiB | %.1f s |%n",
                    f.service(), f.flavor(), f.startedTogether(), f.startedAlone(), f.readyAloneMillis(),
                    f.rssMebibytes(), f.stopSeconds()));
        }
        Path out = ServiceProcess.repositoryRoot().resolve("system-tests/target/native-figures.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println("native_figures (also in " + out + "):\n" + table);
    }

    private void smoke(String flavor) throws Exception {
        try (TobanSystem toban = TobanSystem.startAs(flavor)) {
            Map<String, Double> startedTogether = new HashMap<>();
            toban.services().forEach(s -> startedTogether.put(s.name(), s.startedInSeconds()));

            String id = anAlertBecomesAnIncidentWithItsIc(toban);
            theTimelineNamesItsActors(toban, id);
            aPageShowsItsLabelsAfterSignIn(toban, flavor);
            theRotaIsACalendarFeed(toban);
            thePostmortemInvitationIsMailed(toban, id);

            Map<String, Long> rss = new HashMap<>();
            toban.services().forEach(s -> rss.put(s.name(), s.rssMebibytes()));
            // SIGTERM, in reverse start order, then each one alone: graceful stop and a start of its own
            List<ServiceProcess> services = new ArrayList<>(toban.services());
            Collections.reverse(services);
            Map<String, Double> stopSeconds = new HashMap<>();
            for (ServiceProcess service : services) {
                stopSeconds.put(service.name(), stopsGracefully(service));
            }
            for (ServiceProcess service : toban.services()) {
                long started = System.nanoTime();
                service.restart();
                long readyMillis = (System.nanoTime() - started) / 1_000_000;
                double startedAlone = service.startedInSeconds();
                stopsGracefully(service);
                FIGURES.add(new Figures(service.name(), flavor, startedTogether.get(service.name()), startedAlone,
                        readyMillis, rss.get(service.name()), stopSeconds.get(service.name())));
            }
        }
    }

    private static String anAlertBecomesAnIncidentWithItsIc(TobanSystem toban) {
        String summary = "Native smoke: API 5xx above 5% " + UUID.randomUUID();
        given().baseUri(toban.incident.url()).contentType(ContentType.JSON)
                .body(Map.of("routing_key", TobanSystem.demoIntegrationKey(), "event_action", "trigger",
                        "dedup_key", "native-" + UUID.randomUUID(),
                        "payload", Map.of("summary", summary, "source", "prometheus", "severity", "critical",
                                "timestamp", Instant.now().minusSeconds(60).toString())))
                .post("/v2/enqueue").then().statusCode(202).body("status", equalTo("success"));
        String id = await().atMost(WAIT).until(() -> Api.as(KeycloakTokens.YAMADA, toban.incident)
                .get("/api/incidents").then().statusCode(200).extract().jsonPath()
                .<String>getString("find { it.title == '" + summary + "' }.id"), found -> found != null);
        await().atMost(WAIT).until(() -> incident(toban, id).getString("commander.id") != null);
        JsonPath incident = incident(toban, id);
        assertFalse(incident.getString("commander.name").isBlank(), "the IC has a name");
        assertEquals("SEV1", incident.getString("severity"));

        // notify-service consumed `triggered`: the parent is the rendered template (incident.parent.txt)...
        String number = incident.getString("number");
        String team = incident.getString("owningTeam.name");
        await().atMost(WAIT).until(() -> parent(toban, summary) != null);
        FakeSlack.Posted parent = parent(toban, summary);
        await().atMost(WAIT).until(() -> parent.text.contains("<@"));
        assertTrue(parent.text.contains("#" + number + " " + summary), parent.text);
        assertTrue(parent.text.contains("SEV1") && parent.text.contains(team) && parent.text.contains("News API"),
                "severity, owning team and service are filled in:\n" + parent.text);
        assertFalse(parent.text.contains("{") || parent.text.contains("NOT_FOUND"), "no template left unrendered:\n"
                + parent.text);
        // the state as the template words it: an enum read without its @JsonValue would say TRIGGERED (and page no one)
        assertTrue(parent.text.contains("*状態:* 発生中"), "the state is rendered:\n" + parent.text);
        // ...the incident knows its thread, and the IC is paged by DM
        await().atMost(WAIT).until(() -> parent.ts.equals(incident(toban, id).getString("slackThread.ts")));
        String icSlack = incident.getString("commander.slackUserId");
        await().atMost(WAIT).until(() -> toban.slack.messages(icSlack).stream()
                .anyMatch(m -> m.text != null && m.text.contains(summary)));
        return id;
    }

    private static void theTimelineNamesItsActors(TobanSystem toban, String id) {
        JsonPath timeline = Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> entries = timeline.getList("$");
        assertTrue(entries.size() >= 2, "opened and the IC's assignment: " + entries);
        for (Map<String, Object> entry : entries) {
            Object actor = entry.get("actor");
            assertTrue(actor instanceof Map<?, ?> a && (a.get("name") != null || a.get("username") != null),
                    "the actor of " + entry.get("kind") + " has a name: " + actor);
        }
    }

    private static void aPageShowsItsLabelsAfterSignIn(TobanSystem toban, String flavor) throws IOException {
        Properties ja = new Properties();
        try (var in = Files.newInputStream(ServiceProcess.repositoryRoot()
                .resolve("incident-service/src/main/resources/web/incident_ja.properties"))) {
            ja.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        try (Browser sato = new Browser("ja")) {
            sato.open(toban.incident.url() + "/ui/incidents", KeycloakTokens.SATO);
            sato.waitForText(ja.getProperty("incidents.title"));
            String text = sato.text();
            assertTrue(text.contains(ja.getProperty("incidents.col.commander")), text);
            assertTrue(text.contains("Native smoke"), "the incident is listed:\n" + text);
            assertFalse(text.contains("incidents.col."), "no bare text keys:\n" + text);
            sato.screenshot("native-smoke-incidents-" + flavor);
        }
    }

    private static void theRotaIsACalendarFeed(TobanSystem toban) {
        String url = Api.as(KeycloakTokens.SATO, toban.oncall).post("/api/schedules/" + Demo.SCHEDULE_SERVER + "/ical-token")
                .then().statusCode(201).extract().path("url");
        Response feed = given().get(url);
        assertEquals(200, feed.statusCode(), url);
        assertTrue(feed.contentType().startsWith("text/calendar"), feed.contentType());
        Calendar calendar = Mail.parse(feed.asString());
        assertFalse(calendar.getComponents("VEVENT").isEmpty(), "the rota's shifts are events:\n" + feed.asString());
    }

    private static void thePostmortemInvitationIsMailed(TobanSystem toban, String id) {
        String admin = KeycloakTokens.ADMIN;
        Api.as(admin, toban.incident).body(Map.of("note", "Error rate back to normal"))
                .post("/api/incidents/" + id + "/mitigate").then().statusCode(200);
        Api.as(admin, toban.incident).body(Map.of("note", "Business confirmed recovery"))
                .post("/api/incidents/" + id + "/resolve").then().statusCode(200).body("state", equalTo("resolved"));
        String postmortemId = await().atMost(WAIT).until(() -> Api.as(admin, toban.postmortem)
                .queryParam("incidentId", id).get("/api/postmortems")
                .then().statusCode(200).extract().<String>path("[0].id"), found -> found != null);
        String ics = toban.holdPostmortem(postmortemId, WAIT);
        assertEquals("REQUEST", Mail.parse(ics).getProperty("METHOD").map(p -> p.getValue()).orElse(null));
        assertTrue(ics.contains("TZID=Asia/Tokyo"), ics);
    }

    /** SIGTERM: the service logs its shutdown and exits within the grace period; returns how long it took. */
    private static double stopsGracefully(ServiceProcess service) throws IOException {
        long stoppedBefore = count(Files.readString(service.log()), " stopped in ");
        long started = System.nanoTime();
        service.stop();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertFalse(service.isAlive(), service.name() + " is still running after SIGTERM");
        assertTrue(service.exitValue() == 0 || service.exitValue() == 143, service.name() + " exited with "
                + service.exitValue());
        assertEquals(stoppedBefore + 1, count(Files.readString(service.log()), " stopped in "),
                service.name() + " logged a graceful stop");
        return seconds;
    }

    private static long count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1L;
    }

    private static JsonPath incident(TobanSystem toban, String id) {
        return Api.as(KeycloakTokens.YAMADA, toban.incident).get("/api/incidents/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    private static FakeSlack.Posted parent(TobanSystem toban, String summary) {
        return toban.slack.parents("#svc-news-api").stream()
                .filter(m -> m.text != null && m.text.contains(summary)).findFirst().orElse(null);
    }
}
