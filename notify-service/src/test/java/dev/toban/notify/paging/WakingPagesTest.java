package dev.toban.notify.paging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.client.OnCallApi;
import dev.toban.notify.client.PersonContactsCache;
import dev.toban.notify.client.PersonDetails;
import dev.toban.notify.response.PageResponses;
import dev.toban.notify.testing.Events;
import dev.toban.notify.testing.Mailbox;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import dev.toban.plumbing.testing.FakeNtfy;
import dev.toban.plumbing.testing.FakeSmsGateway;
import dev.toban.plumbing.testing.FakeTwilio;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, the waking channels end to end against the fake Twilio, the fake ntfy and the fake SMS gateway:
 * each page is answered from its channel (SMS reply, keypress, push action) and lands as
 * {@code toban.notify.page.responded}; providers fall back in order; a failing method moves the page on to
 * the next one now; rate limits fold; unverified and (for low urgency) waking methods are never used;
 * Twilio's webhooks refuse a wrong signature; verification codes and test pages go through the method asked
 * for; the reachability flag and the handoff warning reach the person.
 */
@QuarkusTest
@WithTestResource(NotifyTestResources.class)
class WakingPagesTest extends NotifyTest {

    private static final Map<UUID, PersonDetails> PEOPLE = new ConcurrentHashMap<>();
    private static final Pattern CODE = Pattern.compile("reply '(\\d+) ack' or '\\1 esc'");
    private static final String SMS_WEBHOOK = NotifyTestResources.PUBLIC_URL + "/integrations/twilio/sms";

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    EntityManager em;

    @Inject
    PersonContactsCache contacts;

    /** How often the fake oncall-service was asked while the caller had a transaction open (must stay 0). */
    static final java.util.concurrent.atomic.AtomicInteger ASKED_IN_A_TRANSACTION = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void oncallKnowsThePeople() {
        QuarkusMock.installMockForType(new OnCallApi() {
            @Override
            public PersonDetails person(UUID id) {
                if (io.quarkus.narayana.jta.QuarkusTransaction.isActive()) {
                    ASKED_IN_A_TRANSACTION.incrementAndGet(); // a remote call holding the inbox's row locks
                }
                return PEOPLE.get(id);
            }

            @Override
            public List<PersonDetails> people() {
                return null;
            }

            @Override
            public JsonNode now() {
                return null;
            }
        }, OnCallApi.class, RestClient.LITERAL);
        circuitBreakers.resetAll();
        String real = "http://localhost:" + RestAssured.port;
        twilio().reach(NotifyTestResources.PUBLIC_URL, real);
        ntfy().reach(NotifyTestResources.PUBLIC_URL, real);
    }

    @AfterEach
    void providersBack() {
        assertEquals(0, ASKED_IN_A_TRANSACTION.get(), "oncall-service was asked inside a database transaction");
        twilio().down(false);
        ntfy().down(false);
        gateway().failWith(0);
    }

    static FakeTwilio twilio() {
        return NotifyTestResources.twilio();
    }

    static FakeNtfy ntfy() {
        return NotifyTestResources.ntfy();
    }

    static FakeSmsGateway gateway() {
        return NotifyTestResources.smsGateway();
    }

    static String phone() {
        return "+8190" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
    }

    record Rule(String type, String address, int delayMinutes, Boolean verified, String urgency) {
        static Rule of(String type, String address, int delay) {
            return new Rule(type, address, delay, true, null);
        }
    }

    /** A person (without Slack: no fallback DM) whose contact methods and rules oncall-service answers. */
    static ObjectNode person(String name, String locale, Rule... rules) {
        ObjectNode p = Events.person(name, "wake-" + UUID.randomUUID().toString().substring(0, 8), null, locale);
        UUID id = UUID.fromString(p.path("id").asText());
        List<PersonDetails.ContactMethod> methods = new ArrayList<>();
        List<PersonDetails.NotificationRule> list = new ArrayList<>();
        for (Rule r : rules) {
            UUID m = UUID.randomUUID();
            methods.add(new PersonDetails.ContactMethod(m, r.type(), r.address(), r.type(), null, r.verified()));
            list.add(new PersonDetails.NotificationRule(UUID.randomUUID(), m, r.delayMinutes(), r.urgency()));
        }
        PEOPLE.put(id, new PersonDetails(id, name, p.path("username").asText(), p.path("email").asText(), null,
                "Asia/Tokyo", locale, methods, list));
        return p;
    }

    /** Pages {@code person} for a new incident of {@code severity}; returns the incident id. */
    static UUID page(ObjectNode person, long number, String severity) {
        UUID id = UUID.randomUUID();
        ObjectNode incident = Events.incident(id, number, uniqueChannel("wake"), "triggered", 1);
        incident.put("severity", severity);
        incident.put("title", "API 5xx");
        publishIncident(Events.triggered(UUID.randomUUID().toString(), incident, person));
        return id;
    }

    static List<JsonNode> responded(UUID incident) {
        return notifyEvents(PageResponses.RESPONDED).stream().map(e -> e.path("data"))
                .filter(d -> d.path("incidentId").asText().equals(incident.toString())).toList();
    }

    /** The delivery log for one target (a number or topic URL), newest first. */
    static List<Map<String, Object>> log(String target) {
        return given().auth().oauth2(admin()).queryParam("limit", 500).queryParam("target", target)
                .get("/api/deliveries").then().statusCode(200).extract().jsonPath().getList("items");
    }

    static Map<String, Object> onlyDelivery(String target) {
        List<Map<String, Object>> found = log(target);
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    // ------------------------------------------------------------------ answering from each channel

    @Test
    void aPageSmsIsAnsweredByReplyingItsCodeFromThatNumber() {
        String number = phone();
        ObjectNode person = person("Kenta SMS", "en", Rule.of("sms", number, 0));
        UUID incident = page(person, 1201, "SEV1");

        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().messagesTo(number).size() == 1);
        FakeTwilio.Message sms = twilio().messagesTo(number).get(0);
        assertTrue(sms.body().startsWith("Toban #1201 SEV1 API 5xx - reply '"), sms.body());
        assertTrue(sms.body().length() <= 160 && sms.body().chars().allMatch(c -> c < 0x80), "one GSM message: " + sms.body());
        Matcher code = CODE.matcher(sms.body());
        assertTrue(code.find(), sms.body());

        // the same code from another number names nothing
        FakeTwilio.Answer stranger = twilio().inboundSms(SMS_WEBHOOK, phone(), code.group(1) + " ack");
        assertEquals(200, stranger.status());
        assertTrue(stranger.body().contains("unknown code"), stranger.body());
        assertTrue(responded(incident).isEmpty());

        FakeTwilio.Answer reply = twilio().inboundSms(SMS_WEBHOOK, number, code.group(1) + " ACK");
        assertEquals(200, reply.status());
        assertTrue(reply.body().contains("<Message>Toban: #1201 acknowledged."), reply.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> responded(incident).size() == 1);
        JsonNode answer = responded(incident).get(0);
        assertEquals("acknowledge", answer.path("action").asText());
        assertEquals("sms", answer.path("channel").asText());
        assertEquals("Kenta SMS", answer.path("person").path("name").asText());

        // Twilio sending the reply again changes nothing
        FakeTwilio.Answer again = twilio().inboundSms(SMS_WEBHOOK, number, code.group(1) + " ack");
        assertTrue(again.body().contains("already answered"), again.body());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> responded(incident).size() == 1);

        // the status callback is kept in the delivery log
        assertEquals(204, twilio().status(sms, "delivered").status());
        await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(onlyDelivery(number).get("providerStatus")));
        assertEquals("twilio", onlyDelivery(number).get("providerChannel"));
    }

    @Test
    void aCallReadsThePageInThePersonsLanguageAndKeypressOneAcknowledges() {
        String number = phone();
        ObjectNode person = person("Haruka Voice", "ja", Rule.of("voice", number, 0));
        UUID incident = page(person, 1202, "SEV2");

        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().callsTo(number).size() == 1);
        FakeTwilio.Call call = twilio().callsTo(number).get(0);
        assertEquals(NotifyTestResources.PUBLIC_URL + "/integrations/twilio/voice/" + onlyDelivery(number).get("id"), call.url());
        FakeTwilio.Answer twiml = twilio().answer(call);
        assertEquals(200, twiml.status());
        assertTrue(twiml.body().contains("<Gather numDigits=\"1\"") && twiml.body().contains("language=\"ja-JP\"")
                && twiml.body().contains("インシデント 1202 番、SEV2、API 5xx") && twiml.body().contains("1 を"), twiml.body());

        FakeTwilio.Answer pressed = twilio().press(call, "1");
        assertEquals(200, pressed.status());
        assertTrue(pressed.body().contains("インシデントを確認しました"), pressed.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> responded(incident).size() == 1);
        assertEquals("voice", responded(incident).get(0).path("channel").asText());
        assertEquals("acknowledge", responded(incident).get(0).path("action").asText());
        // a replayed keypress is harmless
        assertTrue(twilio().press(call, "1").body().contains("応答済み"));

        // a call nobody answers is recorded as such
        assertEquals(204, twilio().status(call, "no-answer").status());
        await().atMost(Duration.ofSeconds(5)).until(() -> "no-answer".equals(onlyDelivery(number).get("providerStatus")));
    }

    @Test
    void keypressTwoEscalates() {
        String number = phone();
        ObjectNode person = person("Sota Escalates", "en", Rule.of("voice", number, 0));
        UUID incident = page(person, 1203, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().callsTo(number).size() == 1);
        FakeTwilio.Answer pressed = twilio().press(twilio().callsTo(number).get(0), "2");
        assertTrue(pressed.body().contains("escalated to the next level"), pressed.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> responded(incident).size() == 1);
        assertEquals("escalate", responded(incident).get(0).path("action").asText());
    }

    @Test
    void aPushIsAcknowledgedFromItsAction() {
        String topic = ntfy().topicUrl("toban-" + UUID.randomUUID().toString().substring(0, 8));
        ObjectNode person = person("Mei Push", "ja", Rule.of("push", topic, 0));
        UUID incident = page(person, 1204, "SEV1");

        String name = topic.substring(topic.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> ntfy().published(name).size() == 1);
        FakeNtfy.Publish push = ntfy().published(name).get(0);
        assertEquals("#1204 SEV1 API 5xx", push.title());
        assertEquals("5", push.priority());
        assertEquals("rotating_light", push.header("Tags"));
        assertEquals("https://incidents.toban.test/ui/incidents/" + incident, push.header("Click"));
        assertEquals("Bearer " + NotifyTestResources.NTFY_TOKEN, push.header("Authorization"));
        assertEquals("5xx rate 7.2%", push.message());
        List<String> action = push.actions().get(0);
        assertEquals("http", action.get(0));
        assertEquals("確認", action.get(1));
        assertTrue(action.get(2).startsWith(NotifyTestResources.PUBLIC_URL + "/ack/"), action.toString());
        assertTrue(action.contains("method=POST") && action.contains("clear=true"), action.toString());

        int status = ntfy().tap(push, "確認");
        assertTrue(status < 400, "tapped: " + status);
        await().atMost(Duration.ofSeconds(10)).until(() -> responded(incident).size() == 1);
        assertEquals("push", responded(incident).get(0).path("channel").asText());
        assertEquals("acknowledge", responded(incident).get(0).path("action").asText());
    }

    // ------------------------------------------------------------------ providers failing

    @Test
    void whenTwilioIsDownTheGenericSmsGatewayTakesTheMessage() {
        twilio().down(true);
        String number = phone();
        ObjectNode person = person("Yui Fallback", "en", Rule.of("sms", number, 0));
        page(person, 1205, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> gateway().postsTo(number).size() == 1);
        FakeSmsGateway.Post post = gateway().postsTo(number).get(0);
        assertTrue(post.body().path("text").asText().startsWith("Toban #1205 SEV1 API 5xx - reply '"), post.body().toString());
        assertEquals(NotifyTestResources.SMS_GATEWAY_KEY, post.headers().get("x-api-key"));
        assertTrue(twilio().messagesTo(number).isEmpty(), "Twilio was down");
        await().atMost(Duration.ofSeconds(5)).until(() -> "sent".equals(onlyDelivery(number).get("state")));
        assertEquals("http", onlyDelivery(number).get("providerChannel"));
    }

    @Test
    void whenEveryProviderOfAMethodFailsTheNextMethodGoesNow() {
        ntfy().down(true);
        String topic = ntfy().topicUrl("down-" + UUID.randomUUID().toString().substring(0, 8));
        String number = phone();
        // push at once, SMS only after 10 minutes: the SMS must not wait for its delay
        ObjectNode person = person("Riku Next", "en", Rule.of("push", topic, 0), Rule.of("sms", number, 10));
        page(person, 1206, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().messagesTo(number).size() == 1);
        Map<String, Object> push = log(topic).get(0);
        assertTrue(String.valueOf(push.get("lastError")).startsWith("every provider failed (ntfy: ntfy HTTP 503"), push.toString());
    }

    @Test
    void aCallNotAnsweredMovesThePageOnToTheNextMethod() {
        String number = phone();
        String topic = ntfy().topicUrl("after-call-" + UUID.randomUUID().toString().substring(0, 8));
        ObjectNode person = person("Aoi NoAnswer", "en", Rule.of("voice", number, 0), Rule.of("push", topic, 15));
        page(person, 1207, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().callsTo(number).size() == 1);
        twilio().status(twilio().callsTo(number).get(0), "no-answer");
        String name = topic.substring(topic.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ntfy().published(name).size() == 1);
    }

    // ------------------------------------------------------------------ limits and rules

    @Test
    void atMostFiveSmsPerNumberAndTheRestFoldIntoOneSummary() {
        String number = phone();
        ObjectNode person = person("Nao Limited", "en", Rule.of("sms", number, 0));
        for (int i = 0; i < 7; i++) {
            page(person, 1300 + i, "SEV1");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log(number).stream()
                .filter(d -> "page".equals(d.get("purpose"))).allMatch(d -> List.of("sent", "skipped").contains(d.get("state")))
                && log(number).size() == 8);
        assertEquals(5, twilio().messagesTo(number).size(), "the limit holds");
        List<Map<String, Object>> log = log(number);
        assertEquals(2, log.stream().filter(d -> "skipped".equals(d.get("state"))
                && String.valueOf(d.get("lastError")).startsWith("rate limited: 5 sms per 15 min")).count(), log.toString());
        Map<String, Object> fold = log.stream().filter(d -> "fold".equals(d.get("purpose"))).findFirst().orElseThrow();
        assertEquals("pending", fold.get("state"));
        Instant due = Instant.parse((String) fold.get("dueAt"));
        assertTrue(due.isAfter(Instant.now().plus(Duration.ofMinutes(14))), "due when the window frees: " + due);

        // the window frees (moved forward here rather than waited for): one summary goes
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update delivery set due_at = now() where id = ?1")
                .setParameter(1, UUID.fromString((String) fold.get("id"))).executeUpdate());
        await().atMost(Duration.ofSeconds(10)).until(() -> twilio().messagesTo(number).size() == 6);
        assertEquals("Toban: 2 more pages while limited - open https://incidents.toban.test/ui/incidents",
                twilio().messagesTo(number).get(5).body());
    }

    /** A storm must not send each on-call a DM and an email per incident: past 20 each, one summary per address. */
    @Test
    void slackDmsAndEmailsOfPagesFoldPastTheirLimitToo() throws Exception {
        String user = "UFOLD" + ThreadLocalRandom.current().nextInt(1_000_000);
        String email = "mio.storm." + UUID.randomUUID().toString().substring(0, 8) + "@toban.test";
        ObjectNode person = person("Mio Storm", "en", Rule.of("slack", user, 0), Rule.of("email", email, 0));
        for (int i = 0; i < 23; i++) {
            page(person, 1400 + i, "SEV1");
        }
        for (String target : List.of(user, email)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> log(target).size() == 24 && log(target).stream()
                    .filter(d -> "page".equals(d.get("purpose"))).allMatch(d -> List.of("sent", "skipped").contains(d.get("state"))));
            List<Map<String, Object>> log = log(target);
            String channel = target.equals(user) ? "slack" : "email";
            assertEquals(20, log.stream().filter(d -> "sent".equals(d.get("state"))).count(), log.toString());
            assertEquals(3, log.stream().filter(d -> "skipped".equals(d.get("state"))
                    && String.valueOf(d.get("lastError")).startsWith("rate limited: 20 " + channel + " per 15 min")).count(),
                    log.toString());
            Map<String, Object> fold = log.stream().filter(d -> "fold".equals(d.get("purpose"))).findFirst().orElseThrow();
            assertEquals("pending", fold.get("state"), "one summary, due when the window frees");
        }
        // while its summary waits, a page to the address is folded as it is made, and never rendered: its message says why
        UUID late = page(person, 1423, "SEV1");
        for (String target : List.of(user, email)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> log(target).size() == 25);
            Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                            "select state, payload from delivery where incident_id = ?1 and target = ?2")
                    .setParameter(1, late).setParameter(2, target).getSingleResult());
            assertEquals("skipped", row[0]);
            assertTrue(((String) row[1]).startsWith("{\"text\":\"rate limited: 20 "), (String) row[1]);
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                            "update delivery set due_at = now() where purpose = 'fold' and target = ?1 and state = 'pending'")
                    .setParameter(1, target).executeUpdate());
        }
        assertEquals(20, Mailbox.to(email).size(), "the limit holds");
        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.to(email).size() == 21
                && log(user).stream().filter(d -> "sent".equals(d.get("state"))).count() == 21);
        jakarta.mail.internet.MimeMessage summary = Mailbox.to(email).get(20);
        assertEquals("Toban: 4 more pages while limited", summary.getSubject());
        assertTrue(Mailbox.parts(summary).values().stream().anyMatch(p -> p.contains("https://incidents.toban.test/ui/incidents")),
                Mailbox.parts(summary).toString());
    }

    @Test
    void anUnverifiedMethodIsNeverUsed() {
        String sms = phone();
        String voice = phone();
        ObjectNode person = person("Ren Unverified", "en", new Rule("sms", sms, 0, false, null),
                new Rule("voice", voice, 0, null, null), Rule.of("email", "ren.unverified@toban.test", 0));
        page(person, 1208, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> Mailbox.to("ren.unverified@toban.test").size() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                twilio().messagesTo(sms).isEmpty() && twilio().callsTo(voice).isEmpty());
        assertTrue(log(sms).isEmpty());
        assertTrue(log(voice).isEmpty());
    }

    @Test
    void aLowUrgencyPageNeverWakesAnyone() {
        String number = phone();
        ObjectNode person = person("Sora Low", "en", new Rule("sms", number, 0, true, "any"),
                new Rule("email", "sora.low@toban.test", 0, true, "any"));
        page(person, 1209, "SEV3");
        await().atMost(Duration.ofSeconds(15)).until(() -> Mailbox.to("sora.low@toban.test").size() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> twilio().messagesTo(number).isEmpty());
        assertTrue(log(number).isEmpty());
    }

    // ------------------------------------------------------------------ Twilio's signature

    @Test
    void aTwilioWebhookWithoutTwiliosSignatureIsRefused() {
        String number = phone();
        ObjectNode person = person("Taro Forged", "en", Rule.of("sms", number, 0));
        UUID incident = page(person, 1210, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().messagesTo(number).size() == 1);
        Matcher code = CODE.matcher(twilio().messagesTo(number).get(0).body());
        assertTrue(code.find());
        // a made-up signature, and a real one for the URL the request reached (not the public one)
        assertEquals(403, twilio().inboundSms(SMS_WEBHOOK, number, code.group(1) + " ack", "Zm9yZ2Vk").status());
        Map<String, String> params = Map.of("From", number, "To", NotifyTestResources.TWILIO_NUMBER,
                "Body", code.group(1) + " ack", "MessageSid", "SMforged");
        String hostUrl = "http://localhost:" + RestAssured.port + "/integrations/twilio/sms";
        assertEquals(403, twilio().callback(SMS_WEBHOOK, params,
                FakeTwilio.sign(NotifyTestResources.TWILIO_TOKEN, hostUrl, params)).status());
        // signed with another token
        assertEquals(403, twilio().callback(SMS_WEBHOOK, params, FakeTwilio.sign("other-token", SMS_WEBHOOK, params)).status());
        given().formParam("Digits", "1").post("/integrations/twilio/voice/" + UUID.randomUUID() + "/gather")
                .then().statusCode(403);
        given().formParam("MessageStatus", "failed").post("/integrations/twilio/status/" + UUID.randomUUID())
                .then().statusCode(403);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> responded(incident).isEmpty());
    }

    @Test
    void contactMethodsAreReusedAcrossPagesUntilAPersonEventSaysTheyChanged() {
        String before = phone();
        String after = phone();
        ObjectNode person = person("Cached Contacts", "en", Rule.of("sms", before, 0));
        UUID id = UUID.fromString(person.path("id").asText());
        page(person, 1291, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().messagesTo(before).size() == 1);

        // oncall-service now answers with another number, but has not said so yet: the cached copy pages
        PersonDetails old = PEOPLE.get(id);
        PersonDetails.ContactMethod m = old.contactMethods().get(0);
        PEOPLE.put(id, new PersonDetails(id, old.name(), old.username(), old.email(), old.slackUserId(), old.timeZone(),
                old.locale(), List.of(new PersonDetails.ContactMethod(m.id(), m.type(), after, m.label(), m.approved(),
                m.verified())), old.notificationRules()));
        page(person, 1292, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().messagesTo(before).size() == 2);
        assertTrue(twilio().messagesTo(after).isEmpty());

        // toban.oncall.person.updated: once heard (on this replica's own queue, no inbox row), the next page asks again
        assertTrue(contacts.remembers(id), "the answer is kept until then");
        ObjectNode data = Events.JSON.createObjectNode();
        data.put("id", id.toString());
        data.put("name", old.name());
        String eventId = UUID.randomUUID().toString();
        publishOnCall(Events.envelope(eventId, "/toban/oncall-service", "toban.oncall.person.updated",
                id.toString(), data).toString());
        await().atMost(Duration.ofSeconds(15)).until(() -> !contacts.remembers(id));
        page(person, 1293, "SEV1");
        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().messagesTo(after).size() == 1);
        assertEquals(2, twilio().messagesTo(before).size(), "nothing more to the old number");
    }

    // ------------------------------------------------------------------ oncall-service's requests

    static String contactMethodEvent(String type, ObjectNode person, String methodType, String address, String code) {
        ObjectNode data = Events.JSON.createObjectNode();
        data.set("person", person);
        ObjectNode method = data.putObject("contactMethod");
        method.put("id", UUID.randomUUID().toString());
        method.put("type", methodType);
        method.put("address", address);
        method.put("label", methodType);
        if (code != null) {
            data.put("code", code);
            data.put("expiresAt", Instant.now().plus(Duration.ofMinutes(10)).toString());
        } else {
            data.put("requestedBy", person.path("username").asText()); // the username of who asked (docs/events.md)
        }
        return Events.envelope(UUID.randomUUID().toString(), "/toban/oncall-service", type,
                person.path("id").asText(), data).toString();
    }

    @Test
    void verificationCodesAndTestPagesGoThroughTheMethodAskedForEvenUnverified() {
        ObjectNode en = Events.person("Code English", "code-en-" + UUID.randomUUID().toString().substring(0, 6), null, "en");
        ObjectNode ja = Events.person("Code Japanese", "code-ja-" + UUID.randomUUID().toString().substring(0, 6), null, "ja");
        String sms = phone();
        String voice = phone();
        String topic = ntfy().topicUrl("verify-" + UUID.randomUUID().toString().substring(0, 8));
        String name = topic.substring(topic.lastIndexOf('/') + 1);
        String verify = "toban.oncall.contact_method.verification_requested";
        String test = "toban.oncall.contact_method.test_requested";
        publishOnCall(contactMethodEvent(verify, en, "sms", sms, "123456"));
        publishOnCall(contactMethodEvent(verify, ja, "voice", voice, "654321"));
        publishOnCall(contactMethodEvent(verify, ja, "push", topic, "111222"));

        await().atMost(Duration.ofSeconds(15)).until(() -> twilio().messagesTo(sms).size() == 1
                && twilio().callsTo(voice).size() == 1 && ntfy().published(name).size() == 1);
        assertEquals("Toban verification code: 123456", twilio().messagesTo(sms).get(0).body());
        FakeTwilio.Answer said = twilio().answer(twilio().callsTo(voice).get(0));
        assertTrue(said.body().contains("確認コードは 6, 5, 4, 3, 2, 1 です。もう一度言います。6, 5, 4, 3, 2, 1。")
                && !said.body().contains("<Gather"), said.body());
        assertEquals("Toban 確認コード: 111222", ntfy().published(name).get(0).message());

        publishOnCall(contactMethodEvent(test, en, "push", topic, null));
        publishOnCall(contactMethodEvent(test, en, "voice", voice, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> ntfy().published(name).size() == 2 && twilio().callsTo(voice).size() == 2);
        FakeNtfy.Publish testPush = ntfy().published(name).get(1);
        assertEquals("5", testPush.priority(), "a test page comes like a high-urgency page");
        assertEquals("Toban test page", testPush.title());
        assertTrue(testPush.actions().isEmpty(), "nothing to acknowledge");
        assertTrue(twilio().answer(twilio().callsTo(voice).get(1)).body().contains("This is a test call from Toban."));
    }

    @Test
    void aPersonFlaggedUnreachableIsToldBySlackAndEmail() {
        String slackId = "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
        ObjectNode person = Events.person("Flagged Person", "flag-" + slackId, slackId, "ja");
        ObjectNode data = Events.JSON.createObjectNode();
        data.set("person", person);
        data.putArray("shifts").addObject().put("scheduleId", "33333333-0000-4000-8000-000000000001")
                .put("scheduleName", "Server").put("start", "2026-12-07T00:00:00Z").put("end", "2026-12-08T00:00:00Z");
        data.put("reason", "no_verified_waking_method");
        publishOnCall(Events.envelope(UUID.randomUUID().toString(), "/toban/oncall-service",
                "toban.oncall.reachability.flagged", person.path("id").asText(), data).toString());
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(slackId).size() == 1
                && Mailbox.to(person.path("email").asText()).size() == 1);
        String dm = slack().messages(slackId).get(0).text;
        assertTrue(dm.contains("Server 12/7 09:00-12/8 09:00") && dm.contains("https://oncall.toban.test/ui/me")
                && dm.contains("確認済みの電話・SMS・プッシュ"), dm);
    }

    @Test
    void theHandoffNoticeWarnsWhenThePersonCannotBeWoken() {
        String unreachable = "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
        String reachable = "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
        ObjectNode a = Events.person("Warned Person", "warn-" + unreachable, unreachable, "en");
        ObjectNode b = Events.person("Fine Person", "fine-" + reachable, reachable, "en");
        ObjectNode team = Events.team("Server", uniqueChannel("handoff18"));
        publishOnCall(withReachable(Events.shift(UUID.randomUUID().toString(), "started", a, team), false));
        publishOnCall(withReachable(Events.shift(UUID.randomUUID().toString(), "started", b, team), true));
        await().atMost(Duration.ofSeconds(15)).until(() -> slack().messages(unreachable).size() == 1
                && slack().messages(reachable).size() == 1);
        String warned = slack().messages(unreachable).get(0).text;
        assertTrue(warned.contains("Toban cannot wake you") && warned.contains("<https://oncall.toban.test/ui/me|"), warned);
        assertFalse(slack().messages(reachable).get(0).text.contains("Toban cannot wake you"));
    }

    static String withReachable(String event, boolean reachable) {
        try {
            ObjectNode e = (ObjectNode) Events.JSON.readTree(event);
            ((ObjectNode) e.path("data")).put("reachable", reachable);
            return e.toString();
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
