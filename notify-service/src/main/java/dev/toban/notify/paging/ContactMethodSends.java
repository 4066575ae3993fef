package dev.toban.notify.paging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.dispatch.PersonRef;
import dev.toban.notify.template.Composer;
import dev.toban.notify.template.Links;
import dev.toban.plumbing.inbox.PoisonEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * oncall-service's contact-method events: a verification code or a test page sent through one method
 * (which may not be verified yet: that is the point, so these bypass the verified check, never the egress
 * policy), and the reachability flag (a Slack DM and an email telling the person to add a waking method).
 */
@ApplicationScoped
public class ContactMethodSends {

    private static final Logger LOG = Logger.getLogger(ContactMethodSends.class);
    public static final String VERIFICATION_REQUESTED = "toban.oncall.contact_method.verification_requested";
    public static final String TEST_REQUESTED = "toban.oncall.contact_method.test_requested";
    public static final String REACHABILITY_FLAGGED = "toban.oncall.reachability.flagged";
    static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    static final Pattern CODE = Pattern.compile("^[0-9]{4,10}$");

    private final DeliveryService deliveries;
    private final Composer composer;
    private final PagingMessages messages;
    private final Links links;

    public ContactMethodSends(DeliveryService deliveries, Composer composer, PagingMessages messages, Links links) {
        this.deliveries = deliveries;
        this.composer = composer;
        this.messages = messages;
        this.links = links;
    }

    /** A verification code or a test page through the method the event names. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void send(EventRef ref, JsonNode data) {
        boolean verification = VERIFICATION_REQUESTED.equals(ref.type());
        JsonNode person = data.path("person");
        JsonNode method = data.path("contactMethod");
        String type = method.path("type").asText("");
        String address = Composer.text(method, "address");
        if (!person.isObject() || address == null) {
            throw new PoisonEventException(ref.type() + " has no person or no contact method address");
        }
        String locale = composer.locale(person);
        String code = verification ? Composer.text(data, "code") : null;
        if (verification && (code == null || !CODE.matcher(code).matches())) {
            throw new PoisonEventException(ref.type() + ": code must be 4 to 10 digits");
        }
        String purpose = verification ? "verify" : "test";
        String key = purpose + ":" + method.path("id").asText(address);
        NewDelivery nd;
        switch (type) {
            case NewDelivery.SMS, NewDelivery.VOICE -> {
                if (!E164.matcher(address).matches()) {
                    throw new PoisonEventException(ref.type() + ": contactMethod.address is not an E.164 number");
                }
                nd = NewDelivery.waking(ref, purpose, type, address, key, locale,
                        verification ? messages.verification(type, locale, code) : messages.test(type, locale));
            }
            case NewDelivery.PUSH -> {
                if (!httpUrl(address)) {
                    throw new PoisonEventException(ref.type() + ": contactMethod.address is not an http(s) URL");
                }
                nd = NewDelivery.waking(ref, purpose, type, address, key, locale,
                        verification ? messages.verification(type, locale, code) : messages.test(type, locale));
            }
            case NewDelivery.EMAIL -> {
                String text = verification ? PagingTexts.t(locale, "verify.text", code) : PagingTexts.t(locale, "test.text");
                nd = NewDelivery.email(ref, purpose, address, key, locale, Message.email(text, text, "<p>" + html(text) + "</p>"));
            }
            case NewDelivery.SLACK -> {
                String text = verification ? PagingTexts.t(locale, "verify.text", code) : PagingTexts.t(locale, "test.text");
                nd = NewDelivery.slackPost(ref, purpose, address, key, locale, Message.slack(text, null, null));
            }
            default -> {
                LOG.warnf("%s: Toban does not send through a %s contact method; nothing sent", ref.type(), type);
                return;
            }
        }
        deliveries.create(nd.forPerson(PersonRef.of(person)));
    }

    /** The person is on call without a verified waking method: a Slack DM and an email, with the link to fix it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void flagged(EventRef ref, JsonNode data) {
        JsonNode person = data.path("person");
        if (!person.isObject()) {
            throw new PoisonEventException(ref.type() + " has no person");
        }
        String locale = composer.locale(person);
        ZoneId zone = ZoneId.of(composer.zone(person.path("timeZone").asText(null)));
        String text = PagingTexts.t(locale, "reach.text", shifts(data.path("shifts"), zone, locale), links.me());
        String subject = PagingTexts.t(locale, "reach.subject");
        PersonRef ref0 = PersonRef.of(person);
        String slackId = Composer.text(person, "slackUserId");
        String email = Composer.text(person, "email");
        String key = "reachability:" + person.path("id").asText(String.valueOf(email));
        if (slackId != null && deliveries.enabled(NewDelivery.SLACK)) {
            deliveries.create(NewDelivery.slackPost(ref, "reachability", slackId, key, locale,
                    Message.slack(":warning: *" + subject + "*\n" + text, null, null)).forPerson(ref0));
        }
        if (email != null) {
            deliveries.create(NewDelivery.email(ref, "reachability", email, key, locale,
                    Message.email(subject, text, "<p>" + html(text) + "</p>")).forPerson(ref0));
        }
        if (email == null && (slackId == null || !deliveries.enabled(NewDelivery.SLACK))) {
            LOG.warnf("%s: %s has neither Slack nor email; nobody is told", ref.type(), person.path("name").asText("?"));
        }
    }

    /** "Server 12/07 09:00-12/08 09:00, ..." in the person's zone. */
    static String shifts(JsonNode shifts, ZoneId zone, String locale) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("M/d HH:mm", Locale.ROOT).withZone(zone);
        List<String> parts = new ArrayList<>();
        if (shifts.isArray()) {
            for (JsonNode s : shifts) {
                String name = s.path("scheduleName").asText("");
                try {
                    parts.add((name + " " + f.format(Instant.parse(s.path("start").asText())) + "-"
                            + f.format(Instant.parse(s.path("end").asText()))).strip());
                } catch (RuntimeException e) {
                    parts.add(name);
                }
                if (parts.size() == 3) {
                    break;
                }
            }
        }
        return String.join("ja".equals(locale) ? "、" : ", ", parts);
    }

    private static boolean httpUrl(String value) {
        try {
            URI u = URI.create(value);
            return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
