package dev.toban.notify.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The messages of the waking channels, short enough for a lock screen, in the person's language: an SMS
 * within one GSM-7 message in English (160 characters; Japanese within one UCS-2 message, 70), a push
 * titled "#12 SEV1 記事 API 5xx", a call's sentence. The message of a call is only what it says first;
 * the prompt and answers come from {@link TwilioResource}.
 */
@ApplicationScoped
public class PagingMessages {

    static final int SMS_GSM = 160;
    static final int SMS_UCS2 = 70;

    private final ObjectMapper mapper;

    public PagingMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What a page says about its incident. */
    public record Incident(long number, String severity, String title, String summary, String url, boolean high) {
    }

    /**
     * A page through {@code channel}.
     *
     * @param code the SMS reply code (sms only)
     */
    public Message page(String channel, String locale, Incident i, Integer code) {
        return switch (channel) {
            case NewDelivery.SMS -> Message.sms(smsPage(locale, i, code));
            case NewDelivery.VOICE -> Message.sms(PagingTexts.t(locale, "voice.page", i.number(), i.severity(), i.title()));
            default -> push(PagingTexts.t(locale, "push.title", i.number(), i.severity(), i.title()),
                    i.summary() != null ? i.summary() : i.title(), i.url(), i.high() ? 5 : 3,
                    i.high() ? "rotating_light" : "warning", PagingTexts.t(locale, "push.ack"));
        };
    }

    /** An SMS of a page: the title is cut so the whole fits one message. */
    static String smsPage(String locale, Incident i, Integer code) {
        int limit = "en".equals(locale) ? SMS_GSM : SMS_UCS2;
        String key = code == null ? "sms.page.noCode" : "sms.page";
        Object last = code == null ? i.url() : code;
        String title = i.title() == null ? "" : i.title().strip();
        String text = PagingTexts.t(locale, key, i.number(), i.severity(), title, last);
        if (text.length() > limit && code != null) {
            int room = Math.max(8, title.length() - (text.length() - limit) - 3);
            title = title.substring(0, Math.min(title.length(), room)) + "...";
            text = PagingTexts.t(locale, key, i.number(), i.severity(), title, last);
        }
        return text;
    }

    /** A verification code through {@code channel}: read digit by digit, twice, on a call. */
    public Message verification(String channel, String locale, String code) {
        return switch (channel) {
            case NewDelivery.VOICE -> Message.sms(PagingTexts.t(locale, "verify.voice", spaced(code)));
            case NewDelivery.SMS -> Message.sms(PagingTexts.t(locale, "verify.text", code));
            default -> push(PagingTexts.t(locale, "verify.text", code), PagingTexts.t(locale, "verify.text", code),
                    null, 4, "key", null);
        };
    }

    /** A test page: as a high-urgency page would come, with nothing to answer. */
    public Message test(String channel, String locale) {
        return switch (channel) {
            case NewDelivery.VOICE -> Message.sms(PagingTexts.t(locale, "test.voice"));
            case NewDelivery.SMS -> Message.sms(PagingTexts.t(locale, "test.text"));
            default -> push(PagingTexts.t(locale, "test.title"), PagingTexts.t(locale, "test.text"), null, 5,
                    "rotating_light", null);
        };
    }

    /** The one message standing for the pages folded while a number was rate-limited. */
    public Message fold(String channel, String locale, int count, String link) {
        return switch (channel) {
            case NewDelivery.VOICE -> Message.sms(PagingTexts.t(locale, "fold.voice", count));
            case NewDelivery.SMS -> Message.sms(PagingTexts.t(locale, "fold.text", count, link));
            case NewDelivery.SLACK -> Message.slack(PagingTexts.t(locale, "fold.text", count, "<" + link + ">"), null, null);
            case NewDelivery.EMAIL -> Message.email(PagingTexts.t(locale, "fold.subject", count),
                    PagingTexts.t(locale, "fold.text", count, link), null);
            default -> push("Toban", PagingTexts.t(locale, "fold.text", count, link), link, 5, "rotating_light", null);
        };
    }

    /** How many pages a fold message stands for. */
    public static int foldCount(Message m) {
        return m.body() == null ? 0 : m.body().path("folded").asInt(0);
    }

    public Message withFoldCount(Message m, int count) {
        ObjectNode body = m.body() instanceof ObjectNode o ? o.deepCopy() : mapper.createObjectNode();
        body.put("folded", count);
        return new Message(m.text(), null, m.subject(), null, body, null, m.url(), null);
    }

    private Message push(String title, String text, String click, int priority, String tags, String ackLabel) {
        ObjectNode extra = mapper.createObjectNode();
        extra.put("priority", priority);
        extra.put("tags", tags);
        if (ackLabel != null) {
            extra.put("ack", true);
            extra.put("ackLabel", ackLabel);
        }
        return new Message(text, null, title, null, extra, null, click, null);
    }

    /** "123456" as "1, 2, 3, 4, 5, 6": a voice reads digits, slowly. */
    static String spaced(String code) {
        StringBuilder b = new StringBuilder();
        for (char c : code.toCharArray()) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(c);
        }
        return b.toString();
    }

    static boolean pushAck(JsonNode body) {
        return body != null && body.path("ack").asBoolean(false);
    }
}
