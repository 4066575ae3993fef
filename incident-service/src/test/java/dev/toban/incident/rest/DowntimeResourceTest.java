package dev.toban.incident.rest;

import static dev.toban.incident.support.TestStack.as;
import static dev.toban.incident.support.TestStack.enqueue;
import static dev.toban.incident.support.TestStack.trigger;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.toban.incident.support.TestStack;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The downtime breakdown: p50/p90/count from PostgreSQL, and the same figures as Prometheus histograms. */
@QuarkusTest
class DowntimeResourceTest {

    /** Metrics answer on the management interface (relative to its root, /q). */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    @Test
    void figuresAreAggregatedPerServiceFromTheIncidentsTimestamps() {
        String[] service = TestStack.service("Downtime", UUID.randomUUID());
        // five incidents of this service, then their timestamps set to known values (minutes after creation)
        int[][] minutes = {{1, 2, 10, 20, 30}, {2, 4, 20, 40, 60}, {3, 6, 30, 60, 90}, {4, 8, 40, 80, 120},
                {5, 10, 50, 100, 150}};
        for (int i = 0; i < minutes.length; i++) {
            String dedup = "down-" + i + "-" + UUID.randomUUID();
            enqueue(trigger(service[1], dedup, "Down " + i, "error")).then().statusCode(202);
            UUID id = TestStack.incidentFor(dedup);
            TestStack.awaitEvent("toban.incident.triggered", id); // the IC job is done with the row
            int[] m = minutes[i];
            TestStack.update("""
                    update incident set created_at = timestamptz '2026-11-01T00:00:00Z',
                        problem_started_at = timestamptz '2026-11-01T00:00:00Z' - make_interval(mins => ?),
                        acknowledged_at = timestamptz '2026-11-01T00:00:00Z' + make_interval(mins => ?),
                        assigned_at = timestamptz '2026-11-01T00:00:00Z' + make_interval(mins => ?),
                        mitigated_at = timestamptz '2026-11-01T00:00:00Z' + make_interval(mins => ?),
                        resolved_at = case when ? then null else timestamptz '2026-11-01T00:00:00Z' + make_interval(mins => ?) end
                    where id = ?""", m[0], m[1], m[2], m[3], i == 4, m[4], id);
        }
        as(KeycloakTokens.YAMADA).get("/api/metrics/downtime?from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&service="
                        + service[0]).then().statusCode(200)
                .body("incidents", equalTo(5))
                .body("figures.timeToDetect.count", equalTo(5))
                .body("figures.timeToDetect.p50Seconds", equalTo(180.0f))
                .body("figures.timeToDetect.p90Seconds", equalTo(276.0f))
                // one definition (docs/architecture.md): assign = opened to the IC's acknowledgement,
                // mitigate = acknowledgement to mitigation, so detect + assign + mitigate = downtime
                .body("figures.timeToAssign.p50Seconds", equalTo(360.0f))
                .body("figures.timeToAcknowledge.p50Seconds", equalTo(360.0f))
                .body("figures.timeToMitigate.p50Seconds", equalTo(3240.0f))
                .body("figures.downtime.p50Seconds", equalTo(3780.0f))
                .body("figures.timeToResolve.count", equalTo(4))
                .body("figures.timeToResolve.p50Seconds", equalTo(4500.0f))
                .body("figures.timeToEngageTeam.p50Seconds", equalTo(1800.0f));
        as(KeycloakTokens.YAMADA).get("/api/metrics/downtime?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z&service="
                        + service[0]).then().statusCode(200)
                .body("incidents", equalTo(0))
                .body("figures.timeToDetect.p50Seconds", nullValue());
        as(KeycloakTokens.YAMADA).get("/api/metrics/downtime?team=" + TestStack.TEAM_SERVER).then().statusCode(200);
    }

    @Test
    void badParametersAreProblems() {
        as(KeycloakTokens.YAMADA).get("/api/metrics/downtime?from=yesterday").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        as(KeycloakTokens.YAMADA).get("/api/metrics/downtime?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        as(KeycloakTokens.YAMADA).get("/api/metrics/downtime?team=x").then().statusCode(400)
                .body("errors[0].field", equalTo("team"));
        given().get("/api/metrics/downtime").then().statusCode(401);
    }

    @Test
    void theFiguresAreExportedAsPrometheusHistograms() {
        String[] service = TestStack.service("Histogram", UUID.randomUUID());
        String dedup = "hist-" + UUID.randomUUID();
        enqueue(trigger(service[1], dedup, "Histogram", "error")).then().statusCode(202);
        UUID id = TestStack.incidentFor(dedup);
        as(KeycloakTokens.SATO).post("/api/incidents/" + id + "/acknowledge").then().statusCode(200);
        as(KeycloakTokens.SATO).body("{}").post("/api/incidents/" + id + "/resolve").then().statusCode(200);
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        String serviceName = TestStack.single("select name from technical_service where id = ?::uuid", service[0]).toString();
        for (String figure : new String[] {"detect", "assign", "mitigate", "resolve"}) {
            org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                    "toban_incident_time_to_" + figure + "_seconds_bucket{service=\"" + serviceName + "\",team=\"Server\""));
        }
    }
}
