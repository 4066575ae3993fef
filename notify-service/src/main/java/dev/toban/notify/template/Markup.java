package dev.toban.notify.template;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts the Slack mrkdwn that templates produce into plain text and HTML for email and webhooks,
 * so one template serves every channel.
 */
public final class Markup {

    private static final Pattern LINK = Pattern.compile("<([^<>|]+)(?:\\|([^<>]*))?>");
    private static final Pattern EMOJI = Pattern.compile(":([a-z0-9_+\\-]+):");
    private static final Pattern BOLD = Pattern.compile("(?<![\\w*])\\*([^*\\n]+)\\*(?![\\w*])");
    private static final Pattern ITALIC = Pattern.compile("(?<![\\w_])_([^_\\n]+)_(?![\\w_])");
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Map<String, String> EMOJIS = Map.ofEntries(
            Map.entry("rotating_light", "🚨"), Map.entry("white_check_mark", "✅"), Map.entry("warning", "⚠️"),
            Map.entry("bell", "🔔"), Map.entry("arrow_up", "⬆️"), Map.entry("busts_in_silhouette", "👥"),
            Map.entry("speech_balloon", "💬"), Map.entry("adhesive_bandage", "🩹"), Map.entry("tada", "🎉"),
            Map.entry("memo", "📝"), Map.entry("calendar", "📅"), Map.entry("repeat", "🔁"), Map.entry("sos", "🆘"),
            Map.entry("pager", "📟"), Map.entry("wave", "👋"), Map.entry("hourglass", "⏳"), Map.entry("mega", "📣"),
            Map.entry("handshake", "🤝"), Map.entry("x", "❌"), Map.entry("pushpin", "📌"),
            Map.entry("construction", "🚧"), Map.entry("fire", "🔥"), Map.entry("no_entry", "⛔"),
            Map.entry("raising_hand", "🙋"), Map.entry("checkered_flag", "🏁"), Map.entry("clipboard", "📋"),
            Map.entry("link", "🔗"), Map.entry("bulb", "💡"), Map.entry("zzz", "💤"), Map.entry("book", "📖"));

    private Markup() {
    }

    /**
     * Escapes the three characters Slack reserves; values in templates go through this. No value can
     * then make markup: a mention ({@code <@U…>}, {@code <!channel>}, {@code <!here>}, {@code <!everyone>},
     * {@code <!subteam^…>}), a channel link ({@code <#C…>}) or a link with a label of its choosing. A bare
     * {@code @here}, {@code @channel} or {@code @everyone} also gets an invisible word joiner after the
     * {@code @}, so no parsing setting on Slack's side (link_names) could turn it into a notification.
     */
    public static String escapeSlack(String value) {
        String escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return escaped.indexOf('@') < 0 ? escaped : BROADCAST.matcher(escaped).replaceAll("@" + WORD_JOINER + "$1");
    }

    /** U+2060: joins the {@code @} to the word without showing anything. */
    static final String WORD_JOINER = "\u2060";
    private static final Pattern BROADCAST = Pattern.compile("@((?i:here|channel|everyone)\\b)");

    /** Plain text: links become "label (url)", formatting marks go, emoji codes become emoji. */
    public static String toPlain(String mrkdwn) {
        StringBuilder out = new StringBuilder();
        Matcher m = LINK.matcher(mrkdwn);
        int last = 0;
        while (m.find()) {
            out.append(plainSegment(mrkdwn.substring(last, m.start())));
            out.append(plainLink(m.group(1), m.group(2)));
            last = m.end();
        }
        out.append(plainSegment(mrkdwn.substring(last)));
        return out.toString().strip();
    }

    /** An HTML fragment: escaped text, links as anchors, bold, italics and code kept, line breaks as br. */
    public static String toHtml(String mrkdwn) {
        StringBuilder out = new StringBuilder();
        Matcher m = LINK.matcher(mrkdwn);
        int last = 0;
        while (m.find()) {
            out.append(htmlSegment(mrkdwn.substring(last, m.start())));
            out.append(htmlLink(m.group(1), m.group(2)));
            last = m.end();
        }
        out.append(htmlSegment(mrkdwn.substring(last)));
        return out.toString().strip().replace("\n", "<br>\n");
    }

    /** A whole email body around {@link #toHtml}. */
    public static String htmlDocument(String mrkdwn, String locale, String title) {
        return "<!DOCTYPE html>\n<html lang=\"" + escapeHtml(locale) + "\">\n<head><meta charset=\"UTF-8\"><title>"
                + escapeHtml(title) + "</title></head>\n"
                + "<body style=\"font-family: sans-serif; line-height: 1.5\">\n" + toHtml(mrkdwn) + "\n</body>\n</html>\n";
    }

    /**
     * The first non-empty line as plain text, for an email subject. Emoji codes are dropped: mail
     * clients and relays handle them in headers poorly.
     */
    public static String firstLine(String mrkdwn, int max) {
        for (String line : toPlain(mrkdwn.indexOf(':') < 0 ? mrkdwn : EMOJI.matcher(mrkdwn).replaceAll("")).split("\n")) {
            String s = line.strip();
            if (!s.isEmpty()) {
                return s.length() <= max ? s : s.substring(0, max - 1) + "…";
            }
        }
        return "Toban";
    }

    private static String plainSegment(String s) {
        String t = unescape(s);
        // each pattern needs its mark: most segments have none, and a matcher costs more than the look
        t = t.indexOf('*') < 0 ? t : BOLD.matcher(t).replaceAll("$1");
        t = t.indexOf('_') < 0 ? t : ITALIC.matcher(t).replaceAll("$1");
        t = t.indexOf('`') < 0 ? t : CODE.matcher(t).replaceAll("$1");
        return emoji(t);
    }

    private static String plainLink(String target, String label) {
        if (target.startsWith("@") || target.startsWith("!")) {
            return label != null ? label : target;
        }
        if (target.startsWith("#")) {
            return "#" + (label != null ? label : target.substring(1));
        }
        String url = unescape(target);
        return label == null || label.isBlank() ? url : unescape(label) + " (" + url + ")";
    }

    private static String htmlSegment(String s) {
        String t = escapeHtml(unescape(s));
        t = t.indexOf('`') < 0 ? t : CODE.matcher(t).replaceAll("<code>$1</code>");
        t = t.indexOf('*') < 0 ? t : BOLD.matcher(t).replaceAll("<strong>$1</strong>");
        t = t.indexOf('_') < 0 ? t : ITALIC.matcher(t).replaceAll("<em>$1</em>");
        return emoji(t);
    }

    private static String htmlLink(String target, String label) {
        if (target.startsWith("@") || target.startsWith("!") || target.startsWith("#")) {
            return escapeHtml(plainLink(target, label));
        }
        String url = unescape(target);
        String text = label == null || label.isBlank() ? url : unescape(label);
        if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("mailto:")) {
            return escapeHtml(text);
        }
        return "<a href=\"" + escapeHtml(url) + "\">" + emoji(escapeHtml(text)) + "</a>";
    }

    /** Slack emoji codes Toban uses (:rotating_light:) as the emoji themselves; others stay as written. */
    public static String emoji(String s) {
        if (s.indexOf(':') < 0) {
            return s;
        }
        Matcher m = EMOJI.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = EMOJIS.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(e != null ? e : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Undoes {@link #escapeSlack}. */
    public static String unescape(String s) {
        if (s.indexOf('&') < 0 && s.indexOf('\u2060') < 0) {
            return s;
        }
        return s.replace(WORD_JOINER, "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    public static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
