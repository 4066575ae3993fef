package dev.toban.notify.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.slack.BlockKit;
import dev.toban.notify.slack.IncidentActions;
import dev.toban.notify.template.Models;
import dev.toban.notify.template.TemplateCatalog;
import dev.toban.notify.template.TemplateService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every Slack payload Toban builds fits Slack's documented Block Kit limits with the longest data the
 * producers accept (titles 1,024 characters, texts 4,000, names 200, URLs 2,000), in every template,
 * locale and incident state, and carries no markup the data put there (mentions, broadcasts, channel
 * links, links with labels of their own).
 */
@QuarkusTest
class BlockKitLimitsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> STATES = List.of("triggered", "acknowledged", "mitigated", "resolved", "closed");
    static final List<String> OUR_LINKS = List.of("https://x.example/", "https://incidents.toban.test/",
            "https://postmortems.toban.test/", "https://oncall.toban.test/");

    @Inject
    TemplateService templates;

    @Inject
    IncidentParent parents;

    @Test
    void everyTemplateFitsWithTheLongestHostileData() throws IOException {
        for (TemplateCatalog.Entry entry : TemplateCatalog.all()) {
            JsonNode sample = longest(sample(entry.sample()), null);
            Set<String> mentions = slackIds(sample);
            for (String locale : TemplateCatalog.LOCALES) {
                String text = templates.render(entry.key(), locale, Models.map(sample, Models.Flavor.SLACK)).mrkdwn();
                assertFalse(text.startsWith("Toban: "), entry.key() + " rendered its fallback");
                Message message = Message.slack(text, null, null);
                assertEquals(List.of(), BlockKit.messageViolations(message.text(), message.blocks()), entry.key());
                assertEquals(List.of(), SlackSafety.injected(message.text(), mentions, OUR_LINKS),
                        entry.key() + " (" + locale + ")");
            }
        }
    }

    @Test
    void theParentFitsInEveryStateAndShowsExactlyTheStatesButtons() throws IOException {
        for (String state : STATES) {
            for (boolean decided : new boolean[] {false, true}) {
                ObjectNode incident = (ObjectNode) longest(sample("incident").path("incident"), state);
                IncidentThread thread = new IncidentThread();
                thread.incidentId = UUID.fromString(incident.path("id").asText());
                thread.lastUpdateMessage = SlackSafety.hostile(4000);
                thread.lastUpdateAt = Instant.parse("2026-11-25T10:20:00Z");
                thread.lastUpdateBy = SlackSafety.hostile(200);
                thread.postmortemDecision = decided ? "skip" : null;
                Message parent = parents.render(thread, incident, Long.MAX_VALUE, Long.MAX_VALUE);
                String what = state + (decided ? ", decided" : "");
                assertEquals(List.of(), BlockKit.messageViolations(parent.text(), parent.blocks()), what);
                assertTrue(parent.blocks().get(0).path("text").path("text").asText().length() <= BlockKit.TEXT, what);

                List<String> expected = new ArrayList<>();
                IncidentActions.verbs(state, decided).forEach(v -> expected.add("toban." + v));
                expected.add("toban.open");
                List<String> shown = new ArrayList<>();
                for (JsonNode block : parent.blocks()) {
                    if ("actions".equals(block.path("type").asText())) {
                        assertEquals("toban.incident.actions", block.path("block_id").asText());
                        block.path("elements").forEach(b -> {
                            shown.add(b.path("action_id").asText());
                            assertEquals(incident.path("id").asText(), b.path("value").asText());
                        });
                    }
                }
                assertEquals(expected, shown, what);
                assertSafe(parent, slackIds(incident), what);
            }
        }
    }

    @Test
    void thePageDmFitsWithTheLongestData() throws IOException {
        JsonNode sample = longest(sample("page"), "triggered");
        for (String locale : TemplateCatalog.LOCALES) {
            String text = templates.render("page", locale, Models.map(sample, Models.Flavor.SLACK)).mrkdwn();
            Message dm = parents.page(Message.slack(text, null, null), sample.path("incident"), locale);
            assertEquals(List.of(), BlockKit.messageViolations(dm.text(), dm.blocks()), locale);
            assertEquals("toban.ack", dm.blocks().get(1).path("elements").get(0).path("action_id").asText());
            assertSafe(dm, slackIds(sample), "page " + locale);
        }
    }

    @Test
    void anyTemplateAnAdminWritesEscapesAlertTextAndCustomDetails() {
        ObjectNode data = (ObjectNode) sample("incident").deepCopy();
        ObjectNode alert = data.putObject("alert");
        alert.put("summary", SlackSafety.hostile(1024));
        alert.put("source", "<!channel>");
        ObjectNode details = alert.putObject("customDetails");
        details.put("<@U0ATTACK>", "<https://evil.example|click>");
        details.putArray("hosts").add("<!here>").add("@everyone");
        String source = "{alert.summary} / {alert.source} / {alert.customDetails} / {alert.customDetails.hosts}";
        String text = templates.preview("incident.parent", "en", source, data, "slack").text();
        assertEquals(List.of(), SlackSafety.injected(text, Set.of(), OUR_LINKS), text);
        assertTrue(text.contains("&lt;!channel&gt;") && text.contains("&lt;@U0ATTACK&gt;"), text);
        assertTrue(text.contains("@\u2060here") && text.contains("@\u2060everyone"), "broadcast words are broken: " + text);
        // and people read them as written in email
        String plain = templates.preview("incident.parent", "en", source, data, "email").plain();
        assertTrue(plain.contains("<!channel>") && plain.contains("@here"), plain);
    }

    @Test
    void aSlackUserIdThatIsNotOneNeverBecomesAMention() {
        assertEquals("<@U024BE7LH>", Models.mention("Hanako", "U024BE7LH", Models.Flavor.SLACK).toString());
        Object forged = Models.mention("Mallory", "U1>|<!channel", Models.Flavor.SLACK);
        assertEquals("Mallory", forged, "an id with markup in it: the name, escaped like any value");
        assertEquals("Mallory", Models.mention("Mallory", "u024be7lh", Models.Flavor.SLACK));
    }

    @Test
    void cuttingNeverLeavesHalfAMarkupOrASurrogate() {
        String link = "x".repeat(90) + "<https://incidents.toban.test/ui/incidents/1|Open>";
        assertEquals("x".repeat(90) + "…", BlockKit.cutMrkdwn(link, 100));
        assertEquals("x".repeat(96) + "…", BlockKit.cutMrkdwn("x".repeat(96) + "&amp; tail", 100));
        String emoji = "x".repeat(98) + "🚨🚨";
        String cut = BlockKit.cut(emoji, 100);
        assertEquals(99, cut.length(), "the pair is dropped whole");
        assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 2)));
        assertEquals("short", BlockKit.cutMrkdwn("short", 100));
    }

    @Test
    void theCheckerKnowsEachLimit() {
        ArrayNode blocks = JSON.createArrayNode();
        blocks.add(BlockKit.section("ok"));
        assertEquals(List.of(), BlockKit.violations(blocks, BlockKit.Surface.MESSAGE));
        ObjectNode longSection = JSON.createObjectNode().put("type", "section");
        longSection.putObject("text").put("type", "mrkdwn").put("text", "a".repeat(3001));
        ObjectNode button = JSON.createObjectNode().put("type", "button").put("action_id", "a".repeat(256))
                .put("value", "v".repeat(2001));
        button.putObject("text").put("type", "plain_text").put("text", "b".repeat(76));
        ObjectNode actions = JSON.createObjectNode().put("type", "actions").put("block_id", "i".repeat(256));
        actions.putArray("elements").add(button);
        ObjectNode header = JSON.createObjectNode().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", "h".repeat(151));
        ArrayNode bad = JSON.createArrayNode().add(longSection).add(actions).add(header);
        List<String> found = BlockKit.violations(bad, BlockKit.Surface.MESSAGE);
        for (String pointer : List.of("/blocks/0/text/text", "/blocks/1/block_id", "/blocks/1/elements/0/action_id",
                "/blocks/1/elements/0/value", "/blocks/1/elements/0/text/text", "/blocks/2/text/text")) {
            assertTrue(found.stream().anyMatch(v -> v.endsWith("[" + pointer + "]")), pointer + " in " + found);
        }
        ArrayNode many = JSON.createArrayNode();
        for (int i = 0; i < 51; i++) {
            many.add(BlockKit.section("x"));
        }
        assertEquals(List.of("no more than 50 items allowed [/blocks]"), BlockKit.violations(many, BlockKit.Surface.MESSAGE));
        ObjectNode view = JSON.createObjectNode().put("type", "modal").put("private_metadata", "m".repeat(3001));
        view.putObject("title").put("type", "plain_text").put("text", "t".repeat(25));
        view.putArray("blocks");
        List<String> viewProblems = BlockKit.viewViolations(view);
        assertTrue(viewProblems.stream().anyMatch(v -> v.endsWith("[/view/title/text]")), viewProblems.toString());
        assertTrue(viewProblems.stream().anyMatch(v -> v.endsWith("[/view/private_metadata]")), viewProblems.toString());
        assertTrue(BlockKit.messageViolations("t".repeat(40_001), null).size() == 1);
    }

    // ------------------------------------------------------------------ data

    private static void assertSafe(Message message, Set<String> mentions, String what) {
        assertEquals(List.of(), SlackSafety.injected(message.text(), mentions, OUR_LINKS), what + " text");
        List<String> notVerbatim = new ArrayList<>();
        for (String t : SlackSafety.texts(message.blocks(), notVerbatim)) {
            assertEquals(List.of(), SlackSafety.injected(t, mentions, OUR_LINKS), what + " blocks");
        }
        assertEquals(List.of(), notVerbatim, what + ": Slack must not parse names and mentions in Toban's texts");
    }

    static JsonNode sample(String name) {
        String path = "notify-templates/samples/" + name + ".json";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
    }

    /**
     * The sample with every free text as long as the producers allow and full of markup: titles 1,024,
     * names 200, other texts 4,000 characters, URLs 2,000. Ids, times, enums, Slack ids and emails stay.
     * {@code state} sets every {@code state} when not null.
     */
    static JsonNode longest(JsonNode node, String state) {
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (v.isTextual()) {
                    copy.set(key, JSON.getNodeFactory().textNode(longText(key, v.asText(), state)));
                } else {
                    copy.set(key, longest(v, state));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(n -> copy.add(longest(n, state)));
            return copy;
        }
        return node;
    }

    private static String longText(String key, String value, String state) {
        if ("state".equals(key) && state != null) {
            return state;
        }
        if (key.equals("id") || key.endsWith("Id") || key.endsWith("At") || key.equals("start") || key.equals("end")
                || key.endsWith("Date") || key.equals("at") || key.equals("email") || key.equals("slackUserId")
                || key.equals("slackChannel") || key.equals("username") || key.equals("ts") || key.equals("channel")
                || Set.of("state", "severity", "role", "change", "source", "why", "decision", "status", "locale",
                        "timeZone", "tz", "kind", "uid", "type", "dedupKey", "component", "previousState").contains(key)) {
            return value;
        }
        if (key.endsWith("Url") || key.equals("url") || key.equals("markdownUrl")) {
            return "https://x.example/" + "a".repeat(1982);
        }
        if (key.equals("title")) {
            return SlackSafety.hostile(1024);
        }
        if (key.equals("name") || key.equals("teamName") || key.equals("label")) {
            return SlackSafety.hostile(200);
        }
        return SlackSafety.hostile(4000);
    }

    private static Set<String> slackIds(JsonNode node) {
        Set<String> ids = new java.util.HashSet<>();
        collectIds(node, ids);
        return ids;
    }

    private static void collectIds(JsonNode node, Set<String> ids) {
        if (node.isObject()) {
            if (node.path("slackUserId").isTextual()) {
                ids.add(node.path("slackUserId").asText());
            }
            node.elements().forEachRemaining(n -> collectIds(n, ids));
        } else if (node.isArray()) {
            node.forEach(n -> collectIds(n, ids));
        }
    }
}
