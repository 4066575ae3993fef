package dev.toban.oncall.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.toban.oncall.testing.FakeIncidentService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The board shows incident-service's current and upcoming maintenance windows (issue 19), asked with the service
 * token, times in each window's own zone; "not available" when incident-service does not answer.
 */
@QuarkusTest
@WithTestResource(FakeIncidentService.class)
class MaintenanceBoardTest {

    @Test
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void currentAndUpcomingWindowsAreOnTheBoardAndAnOutageSaysSo() {
        Instant until = Instant.parse("2027-03-14T07:30:00Z");
        Instant soon = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);
        Instant later = Instant.now().plus(30, ChronoUnit.DAYS);
        FakeIncidentService.windows(200, """
                [{"id":"6a1e0000-0000-4000-8000-000000000001","reason":"DB failover drill","timeZone":"America/New_York",
                  "recurrence":"weekly","services":[{"id":"55555555-0000-4000-8000-000000000001","name":"News API"}],
                  "active":true,"activeUntil":"%s","nextStart":null},
                 {"id":"6a1e0000-0000-4000-8000-000000000002","reason":"Router swap","timeZone":"Asia/Tokyo",
                  "recurrence":"none","services":[{"id":"55555555-0000-4000-8000-000000000002","name":"Mobile App"}],
                  "active":false,"nextStart":"%s"},
                 {"id":"6a1e0000-0000-4000-8000-000000000003","reason":"Far away","timeZone":"Asia/Tokyo",
                  "recurrence":"none","services":[],"active":false,"nextStart":"%s"}]""".formatted(until, soon, later));
        given().header("Accept-Language", "ja").get("/ui/oncall").then().statusCode(200)
                .body(allOf(containsString("メンテナンス時間帯"), containsString("DB failover drill"),
                        containsString("News API"), containsString("実施中"),
                        // 07:30Z is 03:30 EDT in New York, the window's zone
                        containsString("2027-03-14 03:30"), containsString("Router swap"), containsString("毎週"),
                        not(containsString("Far away"))));

        FakeIncidentService.windows(503, "{}");
        given().header("Accept-Language", "en").get("/ui/oncall").then().statusCode(200)
                .body(allOf(containsString("id=\"maintenance-unknown\""), not(containsString("Router swap"))));
    }
}
