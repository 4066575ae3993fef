package dev.toban.notify.thread;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the safety tests look for in Slack payloads: markup that data (not Toban) put there. */
final class SlackSafety {

    /** Every trick a hostile alert or name could try, repeated to fill a field. */
    static final String HOSTILE = "<!channel> <!here> <!everyone> @here @channel @everyone <@U0ATTACK> <#C0ATTACK|general> "
            + "<https://evil.example/steal|Open the runbook> <!subteam^S0ATTACK|@sre> <mailto:x@evil.example|mail> &amp; "
            + "&lt;!channel&gt; *bold* _it_ ~s~ `c` 障害 🚨 ";

    private static final Pattern TOKEN = Pattern.compile("<([^<>]*)>");
    private static final Pattern BROADCAST = Pattern.compile("@(?i:here|channel|everyone)\\b");

    private SlackSafety() {
    }

    /** {@link #HOSTILE} repeated to {@code length} characters. */
    static String hostile(int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append(HOSTILE);
        }
        return s.substring(0, length);
    }

    /**
     * The markup in {@code text} that is neither a mention of one of {@code mentions} nor a link under one
     * of {@code linkPrefixes}, and every bare broadcast word; empty when the text is safe.
     */
    static List<String> injected(String text, Set<String> mentions, List<String> linkPrefixes) {
        List<String> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            String inner = m.group(1);
            String target = inner.contains("|") ? inner.substring(0, inner.indexOf('|')) : inner;
            boolean ok = target.startsWith("@") && mentions.contains(target.substring(1))
                    || linkPrefixes.stream().anyMatch(target::startsWith) && !target.contains(" ");
            if (!ok) {
                found.add(m.group());
            }
        }
        Matcher b = BROADCAST.matcher(text);
        while (b.find()) {
            found.add(b.group());
        }
        return found;
    }

    /** Every text of a payload's blocks (mrkdwn and plain), and whether each mrkdwn one is verbatim. */
    static List<String> texts(JsonNode blocks, List<String> notVerbatim) {
        List<String> out = new ArrayList<>();
        collect(blocks, out, notVerbatim);
        return out;
    }

    private static void collect(JsonNode node, List<String> out, List<String> notVerbatim) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            if (node.path("text").isTextual() && node.has("type")
                    && ("mrkdwn".equals(node.path("type").asText()) || "plain_text".equals(node.path("type").asText()))) {
                out.add(node.path("text").asText());
                if ("mrkdwn".equals(node.path("type").asText()) && !node.path("verbatim").asBoolean(false)) {
                    notVerbatim.add(node.path("text").asText());
                }
            }
            node.elements().forEachRemaining(n -> collect(n, out, notVerbatim));
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out, notVerbatim));
        }
    }
}
