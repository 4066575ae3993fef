package dev.toban.oncall.rest;

import static dev.toban.oncall.testing.Fixtures.admin;
import static dev.toban.oncall.testing.Fixtures.token;
import static dev.toban.oncall.testing.Fixtures.uniq;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.oncall.demo.DemoDataService;
import dev.toban.oncall.people.ContactVerificationService;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.testing.Fixtures;
import dev.toban.oncall.testing.Outboxed;
import dev.toban.oncall.testing.TestClock;
import dev.toban.plumbing.testing.KeycloakTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: phones and push topics are validated; a contact method is verified by a code sent through it
 * (only its hash kept, 10 minutes, 5 tries, 5 codes an hour), "send me a test page" goes only to a verified
 * method (3 per 15 minutes), and a new address needs a new verification.
 */
@QuarkusTest
class ContactVerificationTest {

    @Inject
    TestClock clock;

    @Inject
    DemoDataService demo;

    @BeforeEach
    void demoData() {
        Fixtures.demo(demo);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static String body(String username, String slackUserId, String methods, String rules) {
        return """
                {"name":"Rin %s","username":"%s","email":"%s@toban.example","slackUserId":%s,
                 "timeZone":"Asia/Tokyo","locale":"en","contactMethods":%s,"notificationRules":%s}
                """.formatted(username, username, username, slackUserId == null ? "null" : "\"" + slackUserId + "\"",
                methods, rules);
    }

    static String method(UUID id, String type, String address) {
        return "{\"id\":\"%s\",\"type\":\"%s\",\"address\":\"%s\",\"label\":\"%s\"}".formatted(id, type, address, type);
    }

    /** A person (no login) with the given methods and no rules; returns the id. */
    static String personWith(String... methods) {
        String username = uniq("rin");
        return given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(body(username, null, "[" + String.join(",", methods) + "]", "[]"))
                .post("/api/people").then().statusCode(201).extract().path("id");
    }

    static String base(String person, UUID method) {
        return "/api/people/" + person + "/contact-methods/" + method;
    }

    static String code(String person) {
        return Outboxed.last(ContactVerificationService.VERIFICATION_REQUESTED, person).path("code").asText();
    }

    static io.restassured.response.ValidatableResponse verify(String person, UUID method, String code) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"code\":\"" + code + "\"}")
                .post(base(person, method) + "/verify").then();
    }

    static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    @Test
    void phoneNumbersMustBeE164AndPushAddressesTopicUrls() {
        String username = uniq("rin");
        // accepted: E.164 with 8 and 15 digits, an ntfy topic over https and over http
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(body(username, null, "[" + String.join(",", method(UUID.randomUUID(), "sms", "+819012345678"),
                        method(UUID.randomUUID(), "voice", "+12345678"), method(UUID.randomUUID(), "voice", "+123456789012345"),
                        method(UUID.randomUUID(), "push", "https://ntfy.example.com/toban-rin"),
                        method(UUID.randomUUID(), "push", "http://ntfy.internal:8080/alerts/rin")) + "]", "[]"))
                .post("/api/people").then().statusCode(201)
                .body("contactMethods[0].type", equalTo("sms"))
                .body("contactMethods[0].verified", equalTo(false))
                .body("contactMethods[0].verifiedAt", nullValue())
                .body("contactMethods[3].type", equalTo("push"));

        String[][] refused = {
                {"sms", "09012345678"}, {"sms", "+0812345678"}, {"voice", "+81 90 1234 5678"}, {"voice", "+1234567"},
                {"sms", "+1234567890123456"}, {"voice", "+81-90-1234-5678"}, {"sms", "tel:+819012345678"},
                {"push", "https://ntfy.example.com/"}, {"push", "https://ntfy.example.com"},
                {"push", "https://user:secret@ntfy.example.com/topic"}, {"push", "ftp://ntfy.example.com/topic"},
                {"push", "ntfy.example.com/topic"}, {"push", "https://ntfy.example.com/to\\u0007pic"},
                {"push", "https://ntfy.example.com/topic\\nX-Injected: 1"}};
        java.util.List<String> refusedNames = new java.util.ArrayList<>();
        for (String[] r : refused) {
            // the bad one is the third method: the problem names it
            String name = uniq("rin");
            refusedNames.add(name);
            given().auth().oauth2(admin()).contentType(ContentType.JSON)
                    .body(body(name, null, "[" + String.join(",", method(UUID.randomUUID(), "email", "a@toban.example"),
                            method(UUID.randomUUID(), "sms", "+819012345678"), method(UUID.randomUUID(), r[0], r[1])) + "]",
                            "[]"))
                    .post("/api/people").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("contactMethods[2].address"));
        }
        java.util.List<String> saved = given().auth().oauth2(admin()).get("/api/people").then().statusCode(200)
                .extract().path("username");
        assertTrue(refusedNames.stream().noneMatch(saved::contains), "nothing saved for a refused person");
        assertTrue(saved.contains(username));
    }

    @Test
    void ownSlackAndEmailAreVerifiedAtOnceEverythingElseWaitsForACode() {
        String username = uniq("rin");
        UUID slack = UUID.randomUUID();
        UUID otherSlack = UUID.randomUUID();
        UUID email = UUID.randomUUID();
        UUID hook = UUID.randomUUID();
        String id = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(body(username, "U0RINOWN", "[" + String.join(",", method(slack, "slack", "U0RINOWN"),
                        method(otherSlack, "slack", "U0SOMEONE"), method(email, "email", username + "@toban.example"),
                        method(hook, "webhook", "https://hooks.example/rin")) + "]", "[]"))
                .post("/api/people").then().statusCode(201)
                .body("contactMethods[0].verified", equalTo(true))
                .body("contactMethods[0].verifiedAt", notNullValue())
                .body("contactMethods[1].verified", equalTo(false))
                .body("contactMethods[2].verified", equalTo(true))
                // an admin's webhook is approved, and so verified
                .body("contactMethods[3].approved", equalTo(true))
                .body("contactMethods[3].verified", equalTo(true))
                .extract().path("id");
        // a webhook is verified by approval, never by a code
        given().auth().oauth2(admin()).post(base(id, hook) + "/verification").then().statusCode(409)
                .contentType("application/problem+json");
        // a verified method needs no code
        given().auth().oauth2(admin()).post(base(id, slack) + "/verification").then().statusCode(409);
        // another person's method: 404 for the wrong pair, 403 for a responder who is not the person
        given().auth().oauth2(admin()).post("/api/people/" + DemoDataService.SATO + "/contact-methods/" + otherSlack
                + "/verification").then().statusCode(404);
        given().auth().oauth2(token(KeycloakTokens.SATO)).post(base(id, otherSlack) + "/verification").then()
                .statusCode(403);
    }

    @Test
    void aCodeSentThroughTheMethodVerifiesItAndTheEventCarriesTheCode() {
        UUID sms = UUID.randomUUID();
        String id = personWith(method(sms, "sms", "+819011112222"));
        Instant now = Instant.now();
        clock.set(now);
        given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(202)
                .body("contactMethodId", equalTo(sms.toString()))
                .body("address", equalTo("+819011112222"))
                .body("expiresAt", notNullValue())
                .body("code", nullValue());
        JsonNode event = Outboxed.last(ContactVerificationService.VERIFICATION_REQUESTED, id);
        String code = event.path("code").asText();
        assertTrue(code.matches("\\d{6}"), code);
        assertEquals(id, event.path("person").path("id").asText());
        assertEquals("Asia/Tokyo", event.path("person").path("timeZone").asText());
        assertEquals(sms.toString(), event.path("contactMethod").path("id").asText());
        assertEquals("sms", event.path("contactMethod").path("type").asText());
        assertEquals("+819011112222", event.path("contactMethod").path("address").asText());
        assertEquals("sms", event.path("contactMethod").path("label").asText());
        assertEquals(now.plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                Instant.parse(event.path("expiresAt").asText()));
        // only a hash is stored
        String stored = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> (String) io.quarkus.arc.Arc
                .container().instance(jakarta.persistence.EntityManager.class).get()
                .createNativeQuery("select code_hash from contact_verification where contact_method_id = ?1")
                .setParameter(1, sms).getSingleResult());
        assertFalse(stored.contains(code));

        int updatesBefore = Outboxed.data(PersonService.PERSON_UPDATED, id).size();
        verify(id, sms, wrong(code)).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("code")).body("errors[0].message", containsString("4 tries left"));
        verify(id, sms, "12ab").statusCode(400).body("errors[0].field", equalTo("code"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{}").post(base(id, sms) + "/verify").then()
                .statusCode(400).body("errors[0].field", equalTo("code"));
        verify(id, sms, code).statusCode(200)
                .body("contactMethods[0].verified", equalTo(true))
                .body("contactMethods[0].verifiedAt", notNullValue());
        assertEquals(updatesBefore + 1, Outboxed.data(PersonService.PERSON_UPDATED, id).size());
        given().auth().oauth2(KeycloakTokens.service()).get("/api/people/" + id).then().statusCode(200)
                .body("contactMethods[0].verified", equalTo(true));
        // the code is used up; verifying again changes nothing
        verify(id, sms, code).statusCode(200).body("contactMethods[0].verified", equalTo(true));
    }

    @Test
    void anExpiredCodeIsRefused() {
        UUID voice = UUID.randomUUID();
        String id = personWith(method(voice, "voice", "+819033334444"));
        Instant now = Instant.now();
        clock.set(now);
        given().auth().oauth2(admin()).post(base(id, voice) + "/verification").then().statusCode(202);
        String code = code(id);
        clock.set(now.plus(Duration.ofMinutes(10)).plusSeconds(1));
        verify(id, voice, code).statusCode(400).body("errors[0].field", equalTo("code"))
                .body("errors[0].message", containsString("expired"));
        given().auth().oauth2(admin()).get("/api/people/" + id).then().body("contactMethods[0].verified", equalTo(false));
    }

    @Test
    void theFifthWrongCodeVoidsItAndANewCodeIsNeeded() {
        UUID push = UUID.randomUUID();
        String id = personWith(method(push, "push", "https://ntfy.example.com/rin-tries"));
        given().auth().oauth2(admin()).post(base(id, push) + "/verification").then().statusCode(202);
        String code = code(id);
        for (int i = 1; i <= 4; i++) {
            verify(id, push, wrong(code)).statusCode(400).body("errors[0].message", containsString((5 - i) + " tries left"));
        }
        verify(id, push, wrong(code)).statusCode(400).body("errors[0].message", containsString("last try"));
        // the right code no longer works
        verify(id, push, code).statusCode(400).body("errors[0].field", equalTo("code"))
                .body("errors[0].message", containsString("no code is waiting"));
        // a new code does
        given().auth().oauth2(admin()).post(base(id, push) + "/verification").then().statusCode(202);
        String second = code(id);
        verify(id, push, second).statusCode(200).body("contactMethods[0].verified", equalTo(true));
    }

    @Test
    void codeRequestsAreLimitedPerMethodAndHour() {
        UUID sms = UUID.randomUUID();
        UUID voice = UUID.randomUUID();
        String id = personWith(method(sms, "sms", "+819055556666"), method(voice, "voice", "+819055556666"));
        Instant now = Instant.now();
        clock.set(now);
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(202);
        }
        int events = Outboxed.data(ContactVerificationService.VERIFICATION_REQUESTED, id).size();
        given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(429)
                .contentType("application/problem+json").body("detail", containsString("at most 5 verification codes"));
        assertEquals(events, Outboxed.data(ContactVerificationService.VERIFICATION_REQUESTED, id).size(), "no event for a refused request");
        // another method has its own budget; an hour later this one has again
        given().auth().oauth2(admin()).post(base(id, voice) + "/verification").then().statusCode(202);
        clock.set(now.plus(Duration.ofHours(1)).plusSeconds(1));
        given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(202);
        // only the latest code counts
        verify(id, sms, latestCodeFor(id, sms)).statusCode(200);
    }

    static String latestCodeFor(String person, UUID method) {
        return Outboxed.data(ContactVerificationService.VERIFICATION_REQUESTED, person).stream()
                .filter(e -> e.path("contactMethod").path("id").asText().equals(method.toString()))
                .reduce((a, b) -> b).orElseThrow().path("code").asText();
    }

    @Test
    void aTestPageGoesOnlyToAVerifiedMethodAndIsRateLimited() {
        UUID sms = UUID.randomUUID();
        String id = personWith(method(sms, "sms", "+819077778888"));
        Instant now = Instant.now();
        clock.set(now);
        given().auth().oauth2(admin()).post(base(id, sms) + "/test").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("not verified"));
        assertTrue(Outboxed.data(ContactVerificationService.TEST_REQUESTED, id).isEmpty());
        given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(202);
        verify(id, sms, code(id)).statusCode(200);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(admin()).post(base(id, sms) + "/test").then().statusCode(202)
                    .body("contactMethodId", equalTo(sms.toString()));
        }
        given().auth().oauth2(admin()).post(base(id, sms) + "/test").then().statusCode(429)
                .body("detail", containsString("at most 3 test pages"));
        JsonNode test = Outboxed.last(ContactVerificationService.TEST_REQUESTED, id);
        assertEquals(3, Outboxed.data(ContactVerificationService.TEST_REQUESTED, id).size());
        assertEquals("admin", test.path("requestedBy").asText());
        assertEquals(id, test.path("person").path("id").asText());
        assertEquals("+819077778888", test.path("contactMethod").path("address").asText());
        clock.set(now.plus(Duration.ofMinutes(15)).plusSeconds(1));
        given().auth().oauth2(admin()).post(base(id, sms) + "/test").then().statusCode(202);
    }

    @Test
    void aNewAddressIsUnverifiedAndVoidsTheCodeSentToTheOldOne() {
        UUID sms = UUID.randomUUID();
        String id = personWith(method(sms, "sms", "+819012121212"));
        given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(202);
        verify(id, sms, code(id)).statusCode(200);
        String username = given().auth().oauth2(admin()).get("/api/people/" + id).then().extract().path("username");
        // same address, new label: still verified
        String relabelled = body(username, null, "[{\"id\":\"%s\",\"type\":\"sms\",\"address\":\"+819012121212\",\"label\":\"Work phone\"}]"
                .formatted(sms), "[]");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(relabelled).put("/api/people/" + id).then()
                .statusCode(200).body("contactMethods[0].verified", equalTo(true))
                .body("contactMethods[0].label", equalTo("Work phone"));
        // same type, a new number: unverified
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(relabelled.replace("+819012121212", "+819034343434"))
                .put("/api/people/" + id).then().statusCode(200)
                .body("contactMethods[0].verified", equalTo(false))
                .body("contactMethods[0].verifiedAt", nullValue());
        // a code sent to the new number, then the number changes again: that code no longer verifies
        given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(202);
        String code = code(id);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(relabelled.replace("+819012121212", "+819056565656"))
                .put("/api/people/" + id).then().statusCode(200);
        verify(id, sms, code).statusCode(400).body("errors[0].field", equalTo("code"))
                .body("errors[0].message", containsString("earlier address"));
        // the same number as another type (sms -> voice) is a new method to prove
        given().auth().oauth2(admin()).post(base(id, sms) + "/verification").then().statusCode(202);
        verify(id, sms, code(id)).statusCode(200);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(relabelled.replace("+819012121212", "+819056565656")
                .replace("\"type\":\"sms\"", "\"type\":\"voice\"")).put("/api/people/" + id).then().statusCode(200)
                .body("contactMethods[0].verified", equalTo(false));
    }
}
