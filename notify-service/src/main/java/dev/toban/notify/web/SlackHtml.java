package dev.toban.notify.web;

import dev.toban.notify.template.Markup;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack mrkdwn as the sandbox's page shows it, the way Slack's client draws it: mentions as highlighted
 * names ({@code <@U…>} → @Hanako Sato), {@code <!here>} and friends as highlighted broadcasts, channel
 * links as #names, links as anchors, {@code *bold*}, {@code _italics_}, {@code ~strike~}, {@code `code`}
 * and emoji. Everything else is escaped: the result is safe HTML.
 */
final class SlackHtml {

    private static final Pattern TOKEN = Pattern.compile("<([^<>]{1,3000})>");
    private static final Pattern BOLD = Pattern.compile("(?<![\\w*])\\*([^*\\n]+)\\*(?![\\w*])");
    private static final Pattern ITALIC = Pattern.compile("(?<![\\w_])_([^_\\n]+)_(?![\\w_])");
    private static final Pattern STRIKE = Pattern.compile("(?<![\\w~])~([^~\\n]+)~(?![\\w~])");
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");

    private SlackHtml() {
    }

    /** mrkdwn as HTML; {@code names} are the people behind Slack user ids, {@code channels} the channels' names by id. */
    static String mrkdwn(String text, Map<String, String> names, Map<String, String> channels) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        Matcher m = TOKEN.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(segment(text.substring(last, m.start())));
            out.append(token(m.group(1), names, channels));
            last = m.end();
        }
        out.append(segment(text.substring(last)));
        return out.toString().replace("\n", "<br>");
    }

    /** plain_text as HTML: escaped, emoji codes drawn, line breaks kept. */
    static String plain(String text) {
        return text == null ? "" : Markup.emoji(Markup.escapeHtml(text)).replace("\n", "<br>");
    }

    private static String segment(String s) {
        String t = Markup.escapeHtml(Markup.unescape(s));
        t = CODE.matcher(t).replaceAll("<code>$1</code>");
        t = BOLD.matcher(t).replaceAll("<strong>$1</strong>");
        t = ITALIC.matcher(t).replaceAll("<em>$1</em>");
        t = STRIKE.matcher(t).replaceAll("<del>$1</del>");
        return Markup.emoji(t);
    }

    private static String token(String inner, Map<String, String> names, Map<String, String> channels) {
        int bar = inner.indexOf('|');
        String target = bar < 0 ? inner : inner.substring(0, bar);
        String label = bar < 0 ? null : Markup.unescape(inner.substring(bar + 1));
        if (target.startsWith("@")) {
            String id = target.substring(1);
            String name = names.getOrDefault(id, label != null ? label : id);
            return "<span class=\"mention\" data-user=\"" + Markup.escapeHtml(id) + "\">@" + Markup.escapeHtml(name) + "</span>";
        }
        if (target.startsWith("!")) {
            String what = target.substring(1);
            if (what.equals("here") || what.equals("channel") || what.equals("everyone")) {
                return "<span class=\"mention broadcast\">@" + what + "</span>";
            }
            if (what.startsWith("subteam^")) {
                return "<span class=\"mention\">" + Markup.escapeHtml(label != null ? label : "@group") + "</span>";
            }
            return Markup.escapeHtml(label != null ? label : what); // <!date^…|fallback> and the like
        }
        if (target.startsWith("#")) {
            String id = target.substring(1);
            String name = label != null ? label : channels.getOrDefault(id, id);
            return "<span class=\"channel-link\">#" + Markup.escapeHtml(name) + "</span>";
        }
        String url = Markup.unescape(target);
        String text = label == null || label.isBlank() ? url : label;
        if (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("mailto:")) {
            return "<a href=\"" + Markup.escapeHtml(url) + "\" target=\"_blank\" rel=\"noopener noreferrer\">"
                    + Markup.emoji(Markup.escapeHtml(text)) + "</a>";
        }
        return Markup.escapeHtml("<" + Markup.unescape(inner) + ">");
    }
}
