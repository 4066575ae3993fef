package dev.toban.notify.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Slack's documented Block Kit limits, in one place: the builders Toban's messages use cut texts to
 * them, and {@link #violations} checks a whole payload (the tests check every template with the
 * longest data, and the Slack sandbox refuses what Slack would refuse with {@code invalid_blocks}).
 * Source: docs.slack.dev, "Block Kit" reference (blocks, elements, composition objects, surfaces).
 */
public final class BlockKit {

    /** Blocks in one message. */
    public static final int MESSAGE_BLOCKS = 50;
    /** Blocks in a modal (and the home tab). */
    public static final int VIEW_BLOCKS = 100;
    /** A section's text, and any text object's. */
    public static final int TEXT = 3000;
    /** Each of a section's fields; at most {@link #SECTION_FIELDS} of them. */
    public static final int FIELD_TEXT = 2000;
    public static final int SECTION_FIELDS = 10;
    /** A header block's plain text. */
    public static final int HEADER_TEXT = 150;
    /** action_id, block_id, callback_id, external_id. */
    public static final int ID = 255;
    /** A button's label. */
    public static final int BUTTON_TEXT = 75;
    /** A button's value. */
    public static final int BUTTON_VALUE = 2000;
    /** A button's or a link's URL. */
    public static final int URL = 3000;
    /** Elements of an actions block, and of a context block. */
    public static final int ACTIONS_ELEMENTS = 25;
    public static final int CONTEXT_ELEMENTS = 10;
    /** A select's options, each option's text and value, and a placeholder. */
    public static final int OPTIONS = 100;
    public static final int OPTION_TEXT = 75;
    public static final int OPTION_VALUE = 150;
    public static final int PLACEHOLDER = 150;
    /** A modal's title, submit and close labels, and its private_metadata. */
    public static final int VIEW_TITLE = 24;
    public static final int PRIVATE_METADATA = 3000;
    /** An input block's label and hint. */
    public static final int LABEL = 2000;
    /**
     * The top-level {@code text} of chat.postMessage and chat.update: Slack truncates longer messages
     * (and answers {@code msg_too_long} for some).
     */
    public static final int MESSAGE_TEXT = 40_000;

    /** A Slack user id Toban may put in a mention: {@code U024BE7LH}, {@code W0123ABC}. */
    public static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,30}");

    private static final Set<String> STYLES = Set.of("primary", "danger");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BlockKit() {
    }

    // ------------------------------------------------------------------ builders

    /**
     * A mrkdwn text object. {@code verbatim}: Slack leaves the plain text alone (no automatic linking of
     * names, channels or mentions), so only the markup Toban wrote itself (escaped values, real
     * mentions, links) is markup.
     */
    public static ObjectNode mrkdwn(String text, int max) {
        ObjectNode t = JSON.createObjectNode();
        t.put("type", "mrkdwn");
        t.put("text", cutMrkdwn(text == null || text.isEmpty() ? " " : text, max));
        t.put("verbatim", true);
        return t;
    }

    public static ObjectNode plain(String text, int max) {
        ObjectNode t = JSON.createObjectNode();
        t.put("type", "plain_text");
        t.put("text", cut(text == null || text.isEmpty() ? " " : text, max));
        t.put("emoji", true);
        return t;
    }

    public static ObjectNode section(String mrkdwn) {
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "section");
        s.set("text", mrkdwn(mrkdwn, TEXT));
        return s;
    }

    public static ObjectNode context(String mrkdwn) {
        ObjectNode c = JSON.createObjectNode();
        c.put("type", "context");
        c.putArray("elements").add(mrkdwn(mrkdwn, TEXT));
        return c;
    }

    /** A button that calls the app back with {@code value}. */
    public static ObjectNode button(String actionId, String label, String value, String style) {
        ObjectNode b = JSON.createObjectNode();
        b.put("type", "button");
        b.put("action_id", cut(actionId, ID));
        b.set("text", plain(label, BUTTON_TEXT));
        if (value != null) {
            b.put("value", cut(value, BUTTON_VALUE));
        }
        if (style != null) {
            b.put("style", style);
        }
        return b;
    }

    /** A link button, or null when the URL is not an absolute http(s) URL within Slack's length. */
    public static ObjectNode linkButton(String actionId, String label, String url) {
        if (url == null || url.length() > URL || !(url.startsWith("https://") || url.startsWith("http://"))) {
            return null;
        }
        ObjectNode b = button(actionId, label, null, null);
        b.put("url", url);
        return b;
    }

    public static ObjectNode actions(String blockId, List<ObjectNode> elements) {
        ObjectNode a = JSON.createObjectNode();
        a.put("type", "actions");
        a.put("block_id", cut(blockId, ID));
        ArrayNode list = a.putArray("elements");
        elements.stream().limit(ACTIONS_ELEMENTS).forEach(list::add);
        return a;
    }

    /** Cuts plain text to {@code max} characters with an ellipsis, never splitting a surrogate pair. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /**
     * Cuts mrkdwn to {@code max} characters with an ellipsis, never inside a {@code <...>} (a link, a
     * mention) or an {@code &amp;}-style escape, which would leave half of Toban's markup for Slack to show.
     */
    public static String cutMrkdwn(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String head = cut(text, max);
        head = head.substring(0, head.length() - 1);
        int open = head.lastIndexOf('<');
        if (open > head.lastIndexOf('>')) {
            head = head.substring(0, open);
        }
        int amp = head.lastIndexOf('&');
        if (amp >= 0 && head.indexOf(';', amp) < 0 && head.length() - amp <= 5) {
            head = head.substring(0, amp);
        }
        return head + "…";
    }

    // ------------------------------------------------------------------ checks

    /** Where a payload goes: a message's limits differ from a modal's. */
    public enum Surface { MESSAGE, MODAL }

    /**
     * What in a message (its top-level {@code text} and {@code blocks}) Slack would refuse or cut, each
     * as "what [json-pointer]", like Slack's own {@code invalid_blocks} errors. Empty when it fits.
     */
    public static List<String> messageViolations(String text, JsonNode blocks) {
        List<String> out = new ArrayList<>();
        if (text != null && text.length() > MESSAGE_TEXT) {
            out.add("text must be at most " + MESSAGE_TEXT + " characters [/text]");
        }
        if (blocks != null && !blocks.isNull()) {
            out.addAll(violations(blocks, Surface.MESSAGE));
        }
        return out;
    }

    /** What in a list of blocks breaks a limit. */
    public static List<String> violations(JsonNode blocks, Surface surface) {
        List<String> out = new ArrayList<>();
        if (!blocks.isArray()) {
            out.add("blocks must be an array [/blocks]");
            return out;
        }
        int max = surface == Surface.MESSAGE ? MESSAGE_BLOCKS : VIEW_BLOCKS;
        if (blocks.size() > max) {
            out.add("no more than " + max + " items allowed [/blocks]");
        }
        for (int i = 0; i < blocks.size(); i++) {
            block(blocks.get(i), "/blocks/" + i, surface, out);
        }
        return out;
    }

    /** What in a modal view breaks a limit. */
    public static List<String> viewViolations(JsonNode view) {
        List<String> out = new ArrayList<>();
        if (view == null || !view.isObject()) {
            out.add("view must be an object [/view]");
            return out;
        }
        if (!"modal".equals(view.path("type").asText())) {
            out.add("type must be modal [/view/type]");
        }
        requiredText(view.path("title"), "/view/title", VIEW_TITLE, true, out);
        optionalText(view.path("submit"), "/view/submit", VIEW_TITLE, true, out);
        optionalText(view.path("close"), "/view/close", VIEW_TITLE, true, out);
        length(view.path("callback_id"), ID, "/view/callback_id", out);
        length(view.path("external_id"), ID, "/view/external_id", out);
        length(view.path("private_metadata"), PRIVATE_METADATA, "/view/private_metadata", out);
        JsonNode blocks = view.path("blocks");
        if (!blocks.isArray()) {
            out.add("blocks is required [/view/blocks]");
        } else {
            violations(blocks, Surface.MODAL).forEach(v -> out.add(v.replace("[/blocks", "[/view/blocks")));
            boolean hasInput = false;
            for (JsonNode b : blocks) {
                hasInput |= "input".equals(b.path("type").asText());
            }
            if (hasInput && view.path("submit").isMissingNode()) {
                out.add("a view with input blocks needs submit [/view/submit]");
            }
        }
        return out;
    }

    private static void block(JsonNode b, String at, Surface surface, List<String> out) {
        length(b.path("block_id"), ID, at + "/block_id", out);
        switch (b.path("type").asText()) {
            case "section" -> {
                optionalText(b.path("text"), at + "/text", TEXT, false, out);
                JsonNode fields = b.path("fields");
                if (b.path("text").isMissingNode() && !fields.isArray()) {
                    out.add("a section needs text or fields [" + at + "]");
                }
                if (fields.isArray()) {
                    if (fields.size() > SECTION_FIELDS) {
                        out.add("no more than " + SECTION_FIELDS + " items allowed [" + at + "/fields]");
                    }
                    for (int i = 0; i < fields.size(); i++) {
                        requiredText(fields.get(i), at + "/fields/" + i, FIELD_TEXT, false, out);
                    }
                }
                if (b.has("accessory")) {
                    element(b.path("accessory"), at + "/accessory", out);
                }
            }
            case "header" -> requiredText(b.path("text"), at + "/text", HEADER_TEXT, true, out);
            case "context" -> {
                JsonNode elements = b.path("elements");
                if (!elements.isArray() || elements.isEmpty()) {
                    out.add("elements is required [" + at + "/elements]");
                } else {
                    if (elements.size() > CONTEXT_ELEMENTS) {
                        out.add("no more than " + CONTEXT_ELEMENTS + " items allowed [" + at + "/elements]");
                    }
                    for (int i = 0; i < elements.size(); i++) {
                        JsonNode e = elements.get(i);
                        if (!"image".equals(e.path("type").asText())) {
                            requiredText(e, at + "/elements/" + i, TEXT, false, out);
                        }
                    }
                }
            }
            case "actions" -> {
                JsonNode elements = b.path("elements");
                if (!elements.isArray() || elements.isEmpty()) {
                    out.add("elements is required [" + at + "/elements]");
                } else {
                    if (elements.size() > ACTIONS_ELEMENTS) {
                        out.add("no more than " + ACTIONS_ELEMENTS + " items allowed [" + at + "/elements]");
                    }
                    for (int i = 0; i < elements.size(); i++) {
                        element(elements.get(i), at + "/elements/" + i, out);
                    }
                }
            }
            case "input" -> {
                if (surface == Surface.MESSAGE) {
                    out.add("input blocks belong in modals [" + at + "]");
                }
                requiredText(b.path("label"), at + "/label", LABEL, true, out);
                optionalText(b.path("hint"), at + "/hint", LABEL, true, out);
                if (!b.path("element").isObject()) {
                    out.add("element is required [" + at + "/element]");
                } else {
                    element(b.path("element"), at + "/element", out);
                }
            }
            case "divider", "image", "rich_text", "file", "video", "markdown" -> {
                // nothing Toban fills with data
            }
            default -> out.add("unknown block type " + b.path("type").asText("(none)") + " [" + at + "/type]");
        }
    }

    private static void element(JsonNode e, String at, List<String> out) {
        length(e.path("action_id"), ID, at + "/action_id", out);
        optionalText(e.path("placeholder"), at + "/placeholder", PLACEHOLDER, true, out);
        switch (e.path("type").asText()) {
            case "button" -> {
                requiredText(e.path("text"), at + "/text", BUTTON_TEXT, true, out);
                length(e.path("value"), BUTTON_VALUE, at + "/value", out);
                length(e.path("url"), URL, at + "/url", out);
                if (e.has("style") && !STYLES.contains(e.path("style").asText())) {
                    out.add("style must be primary or danger [" + at + "/style]");
                }
            }
            case "static_select", "multi_static_select", "radio_buttons", "checkboxes" -> {
                JsonNode options = e.path("options");
                if (!options.isArray() && !e.path("option_groups").isArray()) {
                    out.add("options is required [" + at + "/options]");
                } else if (options.isArray()) {
                    if (options.size() > OPTIONS) {
                        out.add("no more than " + OPTIONS + " items allowed [" + at + "/options]");
                    }
                    for (int i = 0; i < options.size(); i++) {
                        JsonNode o = options.get(i);
                        requiredText(o.path("text"), at + "/options/" + i + "/text", OPTION_TEXT, false, out);
                        if (!o.path("value").isTextual()) {
                            out.add("value is required [" + at + "/options/" + i + "/value]");
                        }
                        length(o.path("value"), OPTION_VALUE, at + "/options/" + i + "/value", out);
                    }
                }
            }
            case "plain_text_input" -> {
                if (e.has("max_length") && (e.path("max_length").asInt() < 1 || e.path("max_length").asInt() > TEXT)) {
                    out.add("max_length must be 1.." + TEXT + " [" + at + "/max_length]");
                }
                length(e.path("initial_value"), TEXT, at + "/initial_value", out);
            }
            case "url_text_input", "email_text_input", "number_input", "datepicker", "timepicker", "datetimepicker",
                 "users_select", "conversations_select", "channels_select", "external_select", "overflow", "image",
                 "multi_users_select" -> {
                // their limits are the shared ones above
            }
            default -> out.add("unknown element type " + e.path("type").asText("(none)") + " [" + at + "/type]");
        }
    }

    private static void requiredText(JsonNode t, String at, int max, boolean plainOnly, List<String> out) {
        if (!t.isObject()) {
            out.add("a text object is required [" + at + "]");
            return;
        }
        String type = t.path("type").asText();
        if (!"plain_text".equals(type) && !"mrkdwn".equals(type) || plainOnly && !"plain_text".equals(type)) {
            out.add("type must be " + (plainOnly ? "plain_text" : "plain_text or mrkdwn") + " [" + at + "/type]");
        }
        String text = t.path("text").asText("");
        if (text.isEmpty()) {
            out.add("must be more than 0 characters [" + at + "/text]");
        }
        if (text.length() > max) {
            out.add("must be less than " + (max + 1) + " characters [" + at + "/text]");
        }
    }

    private static void optionalText(JsonNode t, String at, int max, boolean plainOnly, List<String> out) {
        if (!t.isMissingNode() && !t.isNull()) {
            requiredText(t, at, max, plainOnly, out);
        }
    }

    private static void length(JsonNode value, int max, String at, List<String> out) {
        if (value.isTextual() && value.asText().length() > max) {
            out.add("must be less than " + (max + 1) + " characters [" + at + "]");
        }
    }
}
