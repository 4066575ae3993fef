package dev.toban.notify.paging;

import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.model.IncidentThreadRepository;
import dev.toban.notify.response.PageResponses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * What Twilio's (already verified) webhooks do: the TwiML of a call, its keypress, an SMS reply and the
 * status callbacks. Each answer goes through {@link PageResponses}, which records it once: a replayed
 * request says "already answered" and changes nothing.
 */
@ApplicationScoped
public class TwilioWebhooks {

    private static final Logger LOG = Logger.getLogger(TwilioWebhooks.class);
    /** "3 ack", "3 esc", "3a", "12 acknowledge", "3 escalate", any case. */
    static final Pattern REPLY = Pattern.compile("^\\s*(\\d{1,2})\\s*(ack|a|acknowledge|esc|e|escalate)\\s*[.!]?\\s*$",
            Pattern.CASE_INSENSITIVE);
    /** Statuses after which a message or call did not reach the person: the page moves on to the next method. */
    static final Set<String> FAILED = Set.of("failed", "undelivered", "busy", "no-answer", "canceled");

    private final EntityManager em;
    private final DeliveryService deliveries;
    private final IncidentThreadRepository threads;
    private final PageResponses responses;
    private final SmsReplyCodes codes;
    private final PageSteps steps;
    private final Twilio twilio;

    public TwilioWebhooks(EntityManager em, DeliveryService deliveries, IncidentThreadRepository threads,
                          PageResponses responses, SmsReplyCodes codes, PageSteps steps, Twilio twilio) {
        this.em = em;
        this.deliveries = deliveries;
        this.threads = threads;
        this.responses = responses;
        this.codes = codes;
        this.steps = steps;
        this.twilio = twilio;
    }

    /** The TwiML a call fetches: its message, then (for a page) the keypress prompt. */
    @Transactional
    public String voice(UUID deliveryId) {
        Delivery d = em.find(Delivery.class, deliveryId);
        if (d == null || !NewDelivery.VOICE.equals(d.channel)) {
            return Twiml.say("en", "This call is no longer valid. Goodbye.");
        }
        String locale = locale(d);
        Message m = deliveries.read(d.payload);
        if (!PageSteps.PAGE.equals(d.purpose) || d.incidentId == null) {
            return Twiml.say(locale, m.text());
        }
        return Twiml.gather(locale, m.text() + " " + PagingTexts.t(locale, "voice.prompt"),
                twilio.gatherUrl(deliveryId), PagingTexts.t(locale, "voice.noInput"));
    }

    /** The keypress: 1 acknowledges, 2 escalates; anything else asks again. */
    @Transactional
    public String gather(UUID deliveryId, String digits) {
        Delivery d = em.find(Delivery.class, deliveryId);
        String locale = d == null ? "en" : locale(d);
        String action = "1".equals(digits) ? PageResponses.ACKNOWLEDGE : "2".equals(digits) ? PageResponses.ESCALATE : null;
        if (action == null) {
            return Twiml.gather(locale, PagingTexts.t(locale, "voice.invalid") + " " + PagingTexts.t(locale, "voice.prompt"),
                    twilio.gatherUrl(deliveryId), PagingTexts.t(locale, "voice.noInput"));
        }
        PageResponses.Result result = responses.record(deliveryId, action, NewDelivery.VOICE);
        String key = switch (result) {
            case RECORDED -> PageResponses.ACKNOWLEDGE.equals(action) ? "voice.acknowledged" : "voice.escalated";
            case ALREADY -> "voice.already";
            default -> "voice.failed";
        };
        LOG.infof("Keypress %s on call of delivery %s: %s", digits, deliveryId, result);
        return Twiml.say(locale, PagingTexts.t(locale, key));
    }

    /** An SMS to Toban's number: "<code> ack" or "<code> esc" from the number the page went to. */
    @Transactional
    public String inboundSms(String from, String body) {
        Matcher m = REPLY.matcher(body == null ? "" : body);
        if (from == null || !m.matches()) {
            return Twiml.message(PagingTexts.t("en", "sms.unknownCode") + " / " + PagingTexts.t("ja", "sms.unknownCode"));
        }
        int code = Integer.parseInt(m.group(1));
        Optional<UUID> deliveryId = codes.find(from.strip(), code);
        if (deliveryId.isEmpty()) {
            return Twiml.message(PagingTexts.t("en", "sms.unknownCode") + " / " + PagingTexts.t("ja", "sms.unknownCode"));
        }
        Delivery d = em.find(Delivery.class, deliveryId.get());
        String locale = d == null ? "en" : locale(d);
        String action = m.group(2).toLowerCase(Locale.ROOT).startsWith("a") ? PageResponses.ACKNOWLEDGE : PageResponses.ESCALATE;
        PageResponses.Result result = responses.record(deliveryId.get(), action, NewDelivery.SMS);
        LOG.infof("SMS reply '%s' for delivery %s: %s", m.group(0).strip(), deliveryId.get(), result);
        Object number = number(d);
        return Twiml.message(switch (result) {
            case RECORDED -> PagingTexts.t(locale, PageResponses.ACKNOWLEDGE.equals(action) ? "sms.acknowledged" : "sms.escalated", number);
            case ALREADY -> PagingTexts.t(locale, "sms.already");
            case NO_INCIDENT -> PagingTexts.t(locale, "sms.noIncident");
            case UNKNOWN_DELIVERY -> PagingTexts.t(locale, "sms.unknownCode");
        });
    }

    /**
     * A status callback (MessageStatus or CallStatus) goes into the delivery log; a page that did not reach
     * the person (failed, undelivered, busy, no-answer, canceled) moves on to their next method now.
     */
    @Transactional
    public void status(UUID deliveryId, Map<String, String> params) {
        String sid = params.containsKey("CallSid") ? params.get("CallSid") : params.get("MessageSid");
        String status = params.containsKey("CallStatus") ? params.get("CallStatus") : params.get("MessageStatus");
        if (status == null || status.isBlank()) {
            return;
        }
        Delivery d = em.find(Delivery.class, deliveryId, LockModeType.PESSIMISTIC_WRITE);
        if (d == null || d.providerMessageId != null && sid != null && !d.providerMessageId.equals(sid)) {
            return; // not ours, or about a message this delivery no longer names
        }
        String s = status.strip().toLowerCase(Locale.ROOT);
        if (s.length() > 40 || s.equals(d.providerStatus)) {
            return; // a replay
        }
        d.providerStatus = s;
        d.providerStatusAt = Instant.now();
        d.updatedAt = Instant.now();
        if (FAILED.contains(s)) {
            steps.advance(d, NewDelivery.VOICE.equals(d.channel) ? "call " + s : "SMS " + s);
        }
    }

    private Object number(Delivery d) {
        if (d == null || d.incidentId == null) {
            return "";
        }
        IncidentThread t = threads.findById(d.incidentId);
        return t == null || t.number == null ? "" : t.number;
    }

    private static String locale(Delivery d) {
        return "en".equals(d.locale) ? "en" : "ja";
    }

    /** TwiML documents. */
    static final class Twiml {
        private Twiml() {
        }

        static String say(String locale, String text) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + sayElement(locale, text) + "</Response>";
        }

        static String gather(String locale, String text, String action, String noInput) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Gather numDigits=\"1\" timeout=\"10\" action=\""
                    + escape(action) + "\" method=\"POST\">" + sayElement(locale, text) + "</Gather>"
                    + sayElement(locale, noInput) + "</Response>";
        }

        static String message(String text) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>" + escape(text) + "</Message></Response>";
        }

        private static String sayElement(String locale, String text) {
            return "<Say language=\"" + PagingTexts.voiceLanguage(locale) + "\">" + escape(text) + "</Say>";
        }

        static String escape(String s) {
            if (s == null) {
                return "";
            }
            StringBuilder b = new StringBuilder(s.length());
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '<' -> b.append("&lt;");
                    case '>' -> b.append("&gt;");
                    case '&' -> b.append("&amp;");
                    case '"' -> b.append("&quot;");
                    case '\'' -> b.append("&apos;");
                    default -> {
                        if (c >= 0x20 || c == '\n' || c == '\t') {
                            b.append(c);
                        }
                    }
                }
            }
            return b.toString();
        }
    }
}
