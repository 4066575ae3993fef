package dev.toban.oncall.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.testing.FakeIncidentService;
import dev.toban.oncall.testing.Fixtures;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import org.junit.jupiter.api.Test;

/**
 * "Which services use this policy" when incident-service answers (through {@code ServiceCatalogClient} with
 * the service token): the services by name, each linking to its page in incident-service.
 */
@QuarkusTest
@WithTestResource(FakeIncidentService.class)
class PolicyServicesPageTest {

    @Test
    @TestSecurity(user = "admin", roles = {"viewer", "responder", "admin"})
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "admin"))
    void thePolicyPageNamesTheServicesThatUseIt() {
        Fixtures.demo(Arc.container().instance(DemoDataService.class).get());
        FakeIncidentService.services("escalationPolicyId", DemoDataService.POLICY_SERVER, "News API", "Triage (SOS)");
        String html = given().header("Accept-Language", "ja")
                .get("/ui/settings/escalation-policies/" + DemoDataService.POLICY_SERVER).then().statusCode(200)
                .body(allOf(containsString("このポリシーを使うサービス"), containsString(">News API</a>"),
                        containsString(">Triage (SOS)</a>"), containsString("http://localhost:8082/ui/settings/services/")))
                .extract().asString();
        PageTests.assertNoVisibleId(html);
        assertTrue(!FakeIncidentService.requests("escalationPolicyId", DemoDataService.POLICY_SERVER).isEmpty());
    }
}
