package dev.toban.incident.web;

import static dev.toban.incident.web.PageSupport.page;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.support.TestStack;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The downtime charts: SVG drawn on the server, and the numbers as a table. */
@QuarkusTest
class DowntimePageResourceTest {

    @BeforeAll
    static void directory() {
        TestStack.directory();
    }

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    void chartsAndTableForEachTeamAndMonth() {
        // an incident of this month owned by Server with a known time to detect (the demo data has the service)
        TestStack.update("""
                insert into incident (id, title, severity, state, source, service_id, owning_team_id, problem_started_at,
                    created_at, acknowledged_at, assigned_at, mitigated_at, created_by, version)
                values (?, 'Downtime page fixture', 'SEV2', 'mitigated', 'manual', ?, ?, now() - interval '20 minutes',
                    now() - interval '15 minutes', now() - interval '14 minutes', now() - interval '10 minutes',
                    now() - interval '5 minutes', '{"username":"test"}'::jsonb, 0)""",
                java.util.UUID.randomUUID(), TestStack.NEWS_API, TestStack.TEAM_SERVER);
        String html = page("en").get("/ui/downtime?months=3").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<svg"), "SVG charts");
        for (String figure : new String[] {"timeToDetect", "timeToAssign", "timeToMitigate"}) {
            assertTrue(html.contains("id=\"chart-" + figure + "\""), figure);
        }
        assertTrue(Pattern.compile("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"[0-9.]+\" height=\"[0-9.]+\" fill=")
                .matcher(html).find(), "at least one bar");
        assertTrue(html.contains("id=\"downtime-table\"") && html.contains(">Server</a></td>") && html.contains(">Mobile</a></td>"));
        assertTrue(html.contains("Time to detect") && html.contains("Time to assign") && html.contains("Time to mitigate"));
        assertTrue(Pattern.compile("<td>\\d+ min \\d+ s</td>").matcher(html).find(), "durations in the table");
        // one definition, on the page too; and a month x team cell drills down to its incidents
        assertTrue(html.contains("From the incident opened to the Incident Commander&#39;s acknowledgement")
                || html.contains("From the incident opened to the Incident Commander's acknowledgement"), "definitions");
        String month = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Tokyo")).toString(); // yamada's zone
        assertTrue(html.contains("href=\"/ui/incidents?state=all&amp;team=" + TestStack.TEAM_SERVER + "&amp;month=" + month
                + "\""), "drill-down link");
        page("ja").get("/ui/downtime?stat=p90").then().statusCode(200)
                .body(containsString("検知までの時間"), containsString("アサインまでの時間"), containsString("暫定復旧までの時間"),
                        containsString("<svg"));
        page("en").get("/ui/downtime?months=1000").then().statusCode(400).body(containsString("Choose the months"));
        page("en").get("/ui/downtime?stat=avg").then().statusCode(400);
    }
}
