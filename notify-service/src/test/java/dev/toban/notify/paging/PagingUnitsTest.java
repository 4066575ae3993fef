package dev.toban.notify.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of the waking channels that need no running service. */
class PagingUnitsTest {

    static Map.Entry<String, String> p(String k, String v) {
        return new AbstractMap.SimpleImmutableEntry<>(k, v);
    }

    @Test
    void twilioSignaturesMatchTwiliosPublishedVectors() {
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        List<Map.Entry<String, String>> params = List.of(p("Digits", "1234"), p("To", "+18005551212"),
                p("From", "+14158675309"), p("Caller", "+14158675309"), p("CallSid", "CA1234567890ABCDE"));
        assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.sign("12345", url, params));
        assertTrue(TwilioSignature.valid("12345", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assertFalse(TwilioSignature.valid("12345", url + "&x=1", params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assertFalse(TwilioSignature.valid("54321", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assertFalse(TwilioSignature.valid("12345", url, params, null));
        // a repeated parameter: each value, sorted
        List<Map.Entry<String, String>> repeated = List.of(p("Sid", "CA123"), p("SidAccount", "AC123"),
                p("Digits", "5678"), p("Digits", "1234"), p("Digits", "1234"));
        assertEquals("IK+Dwps556ElfBT0I3Rgjkr1wJU=", TwilioSignature.sign("12345", url, repeated));
    }

    @Test
    void smsRepliesAreRecognisedLikeGoAlerts() {
        for (String ok : List.of("3 ack", "3ACK", " 12 esc ", "3a", "3 e", "7 acknowledge", "7 Escalate.")) {
            assertTrue(TwilioWebhooks.REPLY.matcher(ok).matches(), ok);
        }
        for (String no : List.of("ack", "3", "3 ok", "123 ack", "3 ack please", "")) {
            assertFalse(TwilioWebhooks.REPLY.matcher(no).matches(), no);
        }
    }

    @Test
    void pageSmsFitOneMessageInTheirLanguage() {
        PagingMessages.Incident longTitle = new PagingMessages.Incident(12, "SEV1",
                "Article API returns 5xx for a large share of requests from every region after the deploy of 10:42 JST",
                null, "https://x", true);
        String en = PagingMessages.smsPage("en", longTitle, 42);
        assertTrue(en.length() <= PagingMessages.SMS_GSM, en);
        assertTrue(en.startsWith("Toban #12 SEV1 Article API") && en.endsWith("reply '42 ack' or '42 esc'"), en);
        PagingMessages.Incident ja = new PagingMessages.Incident(12, "SEV1",
                "記事 API の 5xx エラーがすべてのリージョンで急増しています（10:42 のデプロイ以降）", null, "https://x", true);
        String text = PagingMessages.smsPage("ja", ja, 3);
        assertTrue(text.length() <= PagingMessages.SMS_UCS2, text);
        assertTrue(text.contains("「3 ack」で確認"), text);
        assertEquals("Toban #12 SEV1 API 5xx - reply '3 ack' or '3 esc'",
                PagingMessages.smsPage("en", new PagingMessages.Incident(12, "SEV1", "API 5xx", null, "u", true), 3));
    }

    @Test
    void aVerificationCallReadsTheDigitsSlowlyTwice() {
        PagingMessages messages = new PagingMessages(new ObjectMapper());
        assertEquals("This is Toban. Your verification code is 1, 2, 3, 4, 5, 6. Again: 1, 2, 3, 4, 5, 6. Goodbye.",
                messages.verification("voice", "en", "123456").text());
    }

    @Test
    void theGatewayBodyIsJsonEscapedAndPushHeadersAreAsciiOrEncoded() throws Exception {
        String body = "{\"to\":\"{to}\",\"text\":\"{body}\"}".replace("{to}", HttpSmsGateway.jsonEscape("+819012345678"))
                .replace("{body}", HttpSmsGateway.jsonEscape("say \"hi\"\n\\ 確認\u0001"));
        assertEquals("say \"hi\"\n\\ 確認\u0001", new ObjectMapper().readTree(body).path("text").asText());
        assertEquals("#12 SEV1 API 5xx", PushChannel.header("#12 SEV1 API 5xx"));
        assertEquals("=?UTF-8?B?IzEyIOiomOS6iw==?=", PushChannel.header("#12 記事"));
        assertEquals("a b", PushChannel.header("a\r\nb"));
    }

    @Test
    void theKeyOfAPersonsPageStepsIsTheirPrefix() {
        assertEquals("page:4f1c2a9e-0000-4000-8000-000000000001:",
                PageSteps.personPrefix("page:4f1c2a9e-0000-4000-8000-000000000001:rule:abc"));
        assertEquals(null, PageSteps.personPrefix("handoff.notice:x"));
    }

    @Test
    void everyPagingTextExistsInBothLanguages() {
        java.util.ResourceBundle.Control control = java.util.ResourceBundle.Control.getNoFallbackControl(
                java.util.ResourceBundle.Control.FORMAT_PROPERTIES);
        java.util.Set<String> en = java.util.ResourceBundle.getBundle("paging.paging", java.util.Locale.ENGLISH, control).keySet();
        java.util.Set<String> ja = java.util.ResourceBundle.getBundle("paging.paging", java.util.Locale.JAPANESE, control).keySet();
        assertEquals(en, ja);
        assertEquals("Toban 確認コード: 123456", PagingTexts.t("ja", "verify.text", "123456"));
    }
}
