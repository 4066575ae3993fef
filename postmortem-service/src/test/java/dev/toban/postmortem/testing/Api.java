package dev.toban.postmortem.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.KeycloakTokens;
import dev.toban.postmortem.meeting.BusinessCalendar;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/** Shortcuts for the tests: tokens, publishing incident events, finding the postmortem they opened. */
public final class Api {

    public static final String VHOST = "toban_test_postmortem";
    public static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final BusinessCalendar CALENDAR = BusinessCalendar.of("jp", List.of());

    private Api() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().oauth2(KeycloakTokens.of(user)).contentType(ContentType.JSON);
    }

    /** Publishes the incident's event and waits for the postmortem it opens; returns its id. */
    public static String open(BrokerProbe broker, TestIncident incident) {
        broker.publish("toban.incident", "toban.incident.resolved", incident.event("toban.incident.resolved"));
        return awaitPostmortem(incident);
    }

    public static String awaitPostmortem(TestIncident incident) {
        await().atMost(Duration.ofSeconds(30)).until(() -> postmortemOf(incident) != null);
        return postmortemOf(incident);
    }

    public static String postmortemOf(TestIncident incident) {
        List<String> ids = as(KeycloakTokens.ADMIN).queryParam("incidentId", incident.id.toString())
                .get("/api/postmortems").then().statusCode(200).extract().jsonPath().getList("id");
        return ids.isEmpty() ? null : ids.get(0);
    }

    public static JsonPath get(String postmortemId) {
        return as(KeycloakTokens.ADMIN).get("/api/postmortems/" + postmortemId).then().statusCode(200).extract().jsonPath();
    }

    /** Events of {@code type} about this postmortem seen so far. */
    public static List<JsonNode> events(BrokerProbe broker, String type, String postmortemId) {
        return broker.received(type).stream().filter(e -> postmortemId.equals(e.path("subject").asText())).toList();
    }

    public static JsonNode awaitEvent(BrokerProbe broker, String type, String postmortemId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !events(broker, type, postmortemId).isEmpty());
        return events(broker, type, postmortemId).get(0);
    }

    /** {@code time} in Tokyo on the {@code n}th business day from tomorrow (n = 1: the next business day). */
    public static Instant businessDayAt(int n, LocalTime time) {
        LocalDate today = LocalDate.now(TOKYO);
        return ZonedDateTime.of(CALENDAR.plusBusinessDays(today, n), time, TOKYO).toInstant();
    }

    /** A Saturday in Tokyo at 11:00, at least a week ahead. */
    public static Instant saturdayAt11() {
        LocalDate day = LocalDate.now(TOKYO).plusDays(7);
        while (day.getDayOfWeek() != java.time.DayOfWeek.SATURDAY) {
            day = day.plusDays(1);
        }
        return ZonedDateTime.of(day, LocalTime.of(11, 0), TOKYO).toInstant();
    }

    /**
     * The postmortem's meeting took place: it started two hours ago (a meeting is marked held only once it
     * has started, and meetings are scheduled in the future).
     */
    public static void meetingStarted(String postmortemId) {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> io.quarkus.arc.Arc.container()
                .select(jakarta.persistence.EntityManager.class).get()
                .createNativeQuery("update meeting set start_at = now() - interval '2 hours', end_at = now() - interval '1 hour'"
                        + " where postmortem_id = ?1 and status = 'scheduled'")
                .setParameter(1, java.util.UUID.fromString(postmortemId)).executeUpdate());
    }
}
