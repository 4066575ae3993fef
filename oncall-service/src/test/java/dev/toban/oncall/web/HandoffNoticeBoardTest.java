package dev.toban.oncall.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.oncall.client.HandoffNotices;
import dev.toban.oncall.testing.FakeNotifyService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.OidcSecurity;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * "What the on-call is asked to do" on the board: notify-service's handoff notice in the page's language,
 * escaped with its line breaks kept, asked with the service token and cached; "not available right now"
 * when notify-service does not answer.
 */
@QuarkusTest
@WithTestResource(FakeNotifyService.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandoffNoticeBoardTest {

    @Inject
    HandoffNotices notices;

    @BeforeEach
    void fresh() {
        notices.clear();
        FakeNotifyService.down(false);
    }

    @Test
    @Order(1)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void everyoneSeesTheNoticeEscapedWithItsLineBreaks() {
        FakeNotifyService.notice("ja", """
                {"subject":"運用当番のお知らせ","text":"あなたは今週の運用当番です。\\n障害が起きたら IC として <b>エスカレート</b> を押してください。"}""");
        FakeNotifyService.notice("en", """
                {"subject":"You are on call","text":"You are on call this week.\\nPress <script>Escalate</script> if needed."}""");
        int asked = FakeNotifyService.requests().size();
        given().header("Accept-Language", "ja").get("/ui/oncall").then().statusCode(200)
                .body(allOf(containsString("運用当番へのお願い"), containsString("<strong>運用当番のお知らせ</strong>"),
                        containsString("<div class=\"notice-text\">あなたは今週の運用当番です。\n障害が起きたら IC として &lt;b&gt;エスカレート&lt;/b&gt; を押してください。</div>")));
        given().header("Accept-Language", "en").get("/ui/oncall").then().statusCode(200)
                .body(allOf(containsString("What the on-call is asked to do"),
                        containsString("Press &lt;script&gt;Escalate&lt;/script&gt; if needed."),
                        not(containsString("<script>Escalate"))));
        // cached: reloading the board does not ask again
        given().header("Accept-Language", "ja").get("/ui/oncall").then().statusCode(200);
        assertEquals(asked + 2, FakeNotifyService.requests().size());
        assertTrue(FakeNotifyService.requests().get(asked).authorization().startsWith("Bearer "), "the service token");
        assertTrue(FakeNotifyService.requests().stream().anyMatch(r -> "locale=ja".equals(r.query())));
    }

    @Test
    @Order(2)
    @TestSecurity(user = "yamada", roles = "viewer")
    @OidcSecurity(claims = @Claim(key = "preferred_username", value = "yamada"))
    void withoutNotifyServiceTheBoardSaysTheNoticeIsNotAvailable() {
        FakeNotifyService.down(true);
        given().header("Accept-Language", "ja").get("/ui/oncall").then().statusCode(200)
                .body(allOf(containsString("いまは運用当番のお知らせを表示できません。"), containsString("次の交代")));
        given().header("Accept-Language", "en").get("/ui/oncall").then().statusCode(200)
                .body(containsString("The handoff notice is not available right now."));
    }
}
