package dev.toban.notify.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.client.PersonDetails;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PagePlannerTest {

    static final PagePlanner.Ref REF = new PagePlanner.Ref(UUID.randomUUID(), "Hanako Sato", "sato@toban.example", "U024BE7LH");

    @Test
    void eachNotificationRuleIsAStepOnItsContactMethodAfterItsDelay() {
        UUID slack = UUID.randomUUID();
        UUID mail = UUID.randomUUID();
        UUID hook = UUID.randomUUID();
        UUID r1 = UUID.randomUUID();
        UUID r2 = UUID.randomUUID();
        UUID r3 = UUID.randomUUID();
        PersonDetails details = new PersonDetails(REF.id(), "Hanako Sato", "sato", "sato@toban.example", "U024BE7LH",
                "Asia/Tokyo", "ja",
                List.of(new PersonDetails.ContactMethod(slack, "slack", "U024BE7LH", "Slack", null),
                        new PersonDetails.ContactMethod(mail, "email", "sato.private@example.com", "Private", false),
                        new PersonDetails.ContactMethod(hook, "webhook", "https://hooks.example/sato", "Phone bridge", true),
                        new PersonDetails.ContactMethod(UUID.randomUUID(), "carrier-pigeon", "roof", "Pigeon", true)),
                List.of(new PersonDetails.NotificationRule(r3, hook, 10),
                        new PersonDetails.NotificationRule(r1, slack, 0),
                        new PersonDetails.NotificationRule(r2, mail, 3),
                        new PersonDetails.NotificationRule(UUID.randomUUID(), UUID.randomUUID(), 1)));

        List<PagePlanner.Step> steps = PagePlanner.plan(REF, details, Duration.ofMinutes(5), true);

        assertEquals(List.of(
                new PagePlanner.Step("slack", "U024BE7LH", Duration.ZERO, "rule:" + r1),
                new PagePlanner.Step("email", "sato.private@example.com", Duration.ofMinutes(3), "rule:" + r2),
                new PagePlanner.Step("webhook", "https://hooks.example/sato", Duration.ofMinutes(10), "rule:" + r3)), steps);
    }

    @Test
    void aPageUsesTheRulesForItsUrgencyAndThoseForBoth() throws Exception {
        UUID slack = UUID.randomUUID();
        UUID mail = UUID.randomUUID();
        UUID both = UUID.randomUUID();
        UUID high = UUID.randomUUID();
        UUID low = UUID.randomUUID();
        PersonDetails details = new ObjectMapper().readValue("""
                {"id":"%s","name":"Hanako Sato","contactMethods":[
                  {"id":"%s","type":"slack","address":"U024BE7LH","approved":true},
                  {"id":"%s","type":"email","address":"sato@toban.example","approved":true}],
                 "notificationRules":[{"id":"%s","contactMethodId":"%s","delayMinutes":0},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":1,"urgency":"high"},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":30,"urgency":"low"}]}""".formatted(REF.id(), slack, mail,
                both, slack, high, mail, low, mail), PersonDetails.class);
        assertEquals(List.of("rule:" + both, "rule:" + high), PagePlanner.plan(REF, details, Duration.ofMinutes(5), true,
                PagePlanner.HIGH).stream().map(PagePlanner.Step::step).toList());
        assertEquals(List.of("rule:" + both, "rule:" + low), PagePlanner.plan(REF, details, Duration.ofMinutes(5), true,
                PagePlanner.LOW).stream().map(PagePlanner.Step::step).toList());
    }

    @Test
    void aWebhookContactMethodIsOnlyCalledOnceAnAdminApprovedIt() throws Exception {
        UUID slack = UUID.randomUUID();
        UUID unapproved = UUID.randomUUID();
        UUID unsaid = UUID.randomUUID();
        UUID r1 = UUID.randomUUID();
        // oncall-service's answer: one webhook refused approval, one without the field at all
        PersonDetails details = new ObjectMapper().readValue("""
                {"id":"%s","name":"Hanako Sato","contactMethods":[
                  {"id":"%s","type":"slack","address":"U024BE7LH","approved":true},
                  {"id":"%s","type":"webhook","address":"https://hooks.example/unapproved","approved":false},
                  {"id":"%s","type":"webhook","address":"https://hooks.example/unsaid"}],
                 "notificationRules":[{"id":"%s","contactMethodId":"%s","delayMinutes":0},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":1},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":2}]}""".formatted(REF.id(), slack, unapproved, unsaid,
                r1, slack, UUID.randomUUID(), unapproved, UUID.randomUUID(), unsaid), PersonDetails.class);
        assertEquals(null, details.contactMethods().get(2).approved());

        assertEquals(List.of(new PagePlanner.Step("slack", "U024BE7LH", Duration.ZERO, "rule:" + r1)),
                PagePlanner.plan(REF, details, Duration.ofMinutes(5), true));

        PersonDetails onlyUnapproved = new PersonDetails(REF.id(), "Hanako Sato", "sato", "sato@toban.example", null,
                "Asia/Tokyo", "ja", List.of(new PersonDetails.ContactMethod(unapproved, "webhook", "http://127.0.0.1:8180/", "x", null)),
                List.of(new PersonDetails.NotificationRule(UUID.randomUUID(), unapproved, 0)));
        assertEquals(List.of(new PagePlanner.Step("email", "sato@toban.example", Duration.ZERO, "fallback:email")),
                PagePlanner.plan(new PagePlanner.Ref(REF.id(), "Hanako Sato", "sato@toban.example", null), onlyUnapproved,
                        Duration.ofMinutes(5), true), "nothing approved: the person is still paged, by the fallback");
    }

    @Test
    void withoutRulesTheFallbackIsASlackDmNowAndAnEmailLater() {
        assertEquals(List.of(
                new PagePlanner.Step("slack", "U024BE7LH", Duration.ZERO, "fallback:slack"),
                new PagePlanner.Step("email", "sato@toban.example", Duration.ofMinutes(5), "fallback:email")),
                PagePlanner.plan(REF, null, Duration.ofMinutes(5), true));
        PersonDetails noRules = new PersonDetails(REF.id(), "Hanako Sato", "sato", "new@toban.example", null,
                "Asia/Tokyo", "ja", List.of(), List.of());
        assertEquals(List.of(
                new PagePlanner.Step("slack", "U024BE7LH", Duration.ZERO, "fallback:slack"),
                new PagePlanner.Step("email", "new@toban.example", Duration.ofMinutes(5), "fallback:email")),
                PagePlanner.plan(REF, noRules, Duration.ofMinutes(5), true), "details win over the event's copy");
    }

    @Test
    void withoutSlackTheEmailGoesAtOnceAndWithoutAnyAddressNothingIsPlanned() {
        assertEquals(List.of(new PagePlanner.Step("email", "sato@toban.example", Duration.ZERO, "fallback:email")),
                PagePlanner.plan(new PagePlanner.Ref(REF.id(), "Hanako Sato", "sato@toban.example", null), null,
                        Duration.ofMinutes(5), true));
        assertEquals(Duration.ZERO, PagePlanner.plan(REF, null, Duration.ofMinutes(5), false).get(1).delay(),
                "Slack is off: the email is the page");
        assertEquals(List.of(), PagePlanner.plan(new PagePlanner.Ref(REF.id(), "Nobody", null, " "), null,
                Duration.ofMinutes(5), true));
    }

    @Test
    void wakingMethodsPageOnlyOnceVerifiedAndOnlyForHighUrgency() throws Exception {
        UUID sms = UUID.randomUUID();
        UUID voice = UUID.randomUUID();
        UUID push = UUID.randomUUID();
        UUID unverified = UUID.randomUUID();
        UUID unsaid = UUID.randomUUID();
        UUID mail = UUID.randomUUID();
        UUID brokenMail = UUID.randomUUID();
        PersonDetails details = new ObjectMapper().readValue("""
                {"id":"%s","name":"Hanako Sato","contactMethods":[
                  {"id":"%s","type":"sms","address":"+819012345678","verified":true},
                  {"id":"%s","type":"voice","address":"+819012345678","verified":true},
                  {"id":"%s","type":"push","address":"https://ntfy.example/toban-sato","verified":true},
                  {"id":"%s","type":"sms","address":"+819099999999","verified":false},
                  {"id":"%s","type":"voice","address":"+819088888888"},
                  {"id":"%s","type":"email","address":"sato@toban.example"},
                  {"id":"%s","type":"email","address":"old@toban.example","verified":false}],
                 "notificationRules":[{"id":"%s","contactMethodId":"%s","delayMinutes":0},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":2,"urgency":"any"},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":1},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":0},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":0},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":5},
                  {"id":"%s","contactMethodId":"%s","delayMinutes":5}]}"""
                .formatted(REF.id(), sms, voice, push, unverified, unsaid, mail, brokenMail, UUID.randomUUID(), push,
                        UUID.randomUUID(), voice, UUID.randomUUID(), sms, UUID.randomUUID(), unverified,
                        UUID.randomUUID(), unsaid, UUID.randomUUID(), mail, UUID.randomUUID(), brokenMail),
                PersonDetails.class);
        List<PagePlanner.Step> high = PagePlanner.plan(REF, details, Duration.ofMinutes(5), true, PagePlanner.HIGH);
        assertEquals(List.of("push", "sms", "voice", "email"), high.stream().map(PagePlanner.Step::channel).toList());
        assertEquals(List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5)),
                high.stream().map(PagePlanner.Step::delay).toList());
        // low urgency: no waking method, even for an "any" rule
        assertEquals(List.of("email"), PagePlanner.plan(REF, details, Duration.ofMinutes(5), true, PagePlanner.LOW)
                .stream().map(PagePlanner.Step::channel).toList());
    }
}
