package dev.toban.notify.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.model.SandboxChannel;
import dev.toban.notify.model.SandboxMessage;
import dev.toban.notify.model.SandboxRepository;
import dev.toban.notify.model.SandboxResponse;
import dev.toban.notify.model.SandboxTrigger;
import dev.toban.notify.model.SandboxUser;
import dev.toban.notify.model.SandboxView;
import dev.toban.plumbing.input.Text;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a signed-in user does on the sandbox's page, turned into what Slack would send the app: a click
 * on a button becomes {@code block_actions}, a submitted modal {@code view_submission}, a typed
 * {@code /toban …} a slash command, each signed ({@link SandboxApp}) with a trigger_id (for views.open)
 * and a response_url pointing back at the sandbox. The app's answers are applied as Slack applies them
 * (modal errors, updates, ephemeral replies); when the app fails, Slackbot says so, to the user only.
 * The database work is in short transactions around the call to the app, never across it.
 */
@ApplicationScoped
public class SandboxInteractions {

    /** The slash commands the sandbox's app has (docs/slack-app-manifest.yml). */
    public static final Set<String> COMMANDS = Set.of("/toban", "/sos");
    /** A modal's own refusals (Slack's client shows them in the user's language): a required field, a too long text. */
    public static final String REQUIRED = "@required";
    public static final String TOO_LONG = "@tooLong:";
    /** Slack accepts five answers to a response_url within 30 minutes. */
    static final int RESPONSE_USES = 5;
    static final Duration RESPONSE_TTL = Duration.ofMinutes(30);

    private final SandboxRepository repo;
    private final SandboxWorkspace workspace;
    private final SandboxApp app;
    private final SlackSandbox sandbox;
    private final ObjectMapper mapper;

    public SandboxInteractions(SandboxRepository repo, SandboxWorkspace workspace, SandboxApp app, SlackSandbox sandbox,
                               ObjectMapper mapper) {
        this.repo = repo;
        this.workspace = workspace;
        this.app = app;
        this.sandbox = sandbox;
        this.mapper = mapper;
    }

    /** How a page action ended: the thread to show, and a problem for the page (an i18n key) when refused. */
    public record Outcome(String threadTs, String problem) {
        static Outcome ok(String threadTs) {
            return new Outcome(threadTs, null);
        }

        static Outcome refused(String problem) {
            return new Outcome(null, problem);
        }
    }

    private record Pressed(ObjectNode payload, String threadTs) {
    }

    // ------------------------------------------------------------------ buttons

    /** A click on a button of a message the user sees. */
    public Outcome press(SandboxUser user, String channelId, String ts, String blockId, String actionId) {
        Pressed pressed = QuarkusTransaction.requiringNew().call(() -> pressPayload(user, channelId, ts, blockId, actionId));
        if (pressed == null) {
            return Outcome.refused("slack.error.noButton");
        }
        SandboxApp.Answer answer = app.interaction(pressed.payload());
        QuarkusTransaction.requiringNew().run(() -> afterAck(user, channelId, pressed.threadTs(), answer,
                pressed.payload().path("actions").path(0).path("action_id").asText()));
        return Outcome.ok(pressed.threadTs());
    }

    private Pressed pressPayload(SandboxUser user, String channelId, String ts, String blockId, String actionId) {
        SandboxMessage m = repo.message(channelId, ts).orElse(null);
        SandboxChannel channel = repo.channel(channelId).orElse(null);
        if (m == null || channel == null || m.blocks == null || m.ephemeralFor != null && !m.ephemeralFor.equals(user.id)) {
            return null;
        }
        JsonNode button = null;
        for (JsonNode block : workspace.parse(m.blocks)) {
            if ("actions".equals(block.path("type").asText()) && blockId.equals(block.path("block_id").asText())) {
                for (JsonNode element : block.path("elements")) {
                    if (actionId.equals(element.path("action_id").asText()) && "button".equals(element.path("type").asText())) {
                        button = element;
                    }
                }
            }
        }
        if (button == null) {
            return null;
        }
        SandboxTrigger trigger = trigger(user, channelId);
        SandboxResponse response = response(user, channelId, m.threadTs != null ? m.threadTs : null, m.ts);
        ObjectNode p = mapper.createObjectNode();
        p.put("type", "block_actions");
        p.set("user", userNode(user));
        p.put("api_app_id", SlackSandbox.APP);
        p.put("token", "sandbox-verification-token");
        p.set("team", team());
        ObjectNode container = p.putObject("container");
        container.put("type", "message");
        container.put("message_ts", m.ts);
        container.put("channel_id", channelId);
        container.put("is_ephemeral", m.ephemeralFor != null);
        if (m.threadTs != null) {
            container.put("thread_ts", m.threadTs);
        }
        p.put("trigger_id", trigger.id);
        p.set("channel", channelNode(channel));
        if (m.ephemeralFor == null) {
            p.set("message", workspace.view(m, false));
        }
        p.put("response_url", responseUrl(response));
        ObjectNode action = p.putArray("actions").addObject();
        action.put("type", "button");
        action.put("action_id", actionId);
        action.put("block_id", blockId);
        action.set("text", button.path("text"));
        if (button.has("value")) {
            action.put("value", button.path("value").asText());
        }
        if (button.has("style")) {
            action.put("style", button.path("style").asText());
        }
        action.put("action_ts", nowTs());
        p.putObject("state").putObject("values");
        return new Pressed(p, m.threadTs);
    }

    /** After a click: Slack only needs the acknowledgement; a failed or late one shows an error to the user. */
    private void afterAck(SandboxUser user, String channelId, String threadTs, SandboxApp.Answer answer, String what) {
        if (!answer.ok()) {
            note(user, channelId, threadTs, ":warning: Toban did not handle " + what + ": " + failure(answer)
                    + " (Slack would show the user an error)");
        } else if (answer.tooSlow()) {
            note(user, channelId, threadTs, ":hourglass: Toban took " + seconds(answer.took()) + " s to answer " + what
                    + "; Slack gives up after 3 s and shows the user an error");
        }
    }

    // ------------------------------------------------------------------ modals

    /** The user's modal on top, if one is open. */
    public Optional<SandboxView> openView(SandboxUser user) {
        return QuarkusTransaction.requiringNew().call(() -> repo.openViews(user.id).stream().findFirst());
    }

    /**
     * Submits the modal with what the user typed ({@code fields}: {@code <block_id>/<action_id>} → value).
     * The app's {@code response_action} decides what happens to it.
     */
    public Outcome submit(SandboxUser user, String viewId, Map<String, String> fields) {
        ObjectNode payload = QuarkusTransaction.requiringNew().call(() -> submission(user, viewId, fields));
        if (payload == null) {
            return Outcome.refused("slack.error.noView");
        }
        if (payload.isEmpty()) {
            return Outcome.ok(null); // refused by the modal itself, as Slack's client does: nothing was sent
        }
        SandboxApp.Answer answer = app.interaction(payload);
        return QuarkusTransaction.requiringNew().call(() -> afterSubmission(user, viewId, answer));
    }

    private ObjectNode submission(SandboxUser user, String viewId, Map<String, String> fields) {
        SandboxView v = repo.viewForUpdate(viewId).orElse(null);
        if (v == null || !v.open || !v.userId.equals(user.id)) {
            return null;
        }
        ObjectNode values = mapper.createObjectNode();
        ObjectNode refused = mapper.createObjectNode();
        for (JsonNode block : workspace.parse(v.view).path("blocks")) {
            if (!"input".equals(block.path("type").asText())) {
                continue;
            }
            String blockId = block.path("block_id").asText();
            JsonNode element = block.path("element");
            String actionId = element.path("action_id").asText();
            String field = fields.get(blockId + "/" + actionId);
            // browsers send line breaks in a textarea as CRLF; Slack's clients send LF
            String typed = field == null ? null : Text.clean(field.replace("\r\n", "\n"));
            ObjectNode value = values.putObject(blockId).putObject(actionId);
            String type = element.path("type").asText();
            value.put("type", type);
            switch (type) {
                case "static_select", "radio_buttons" -> {
                    JsonNode chosen = null;
                    for (JsonNode option : element.path("options")) {
                        if (option.path("value").asText().equals(typed)) {
                            chosen = option;
                        }
                    }
                    if (chosen == null) {
                        value.putNull("selected_option");
                    } else {
                        value.set("selected_option", chosen.deepCopy());
                    }
                }
                case "users_select" -> value.put("selected_user", blank(typed));
                case "datepicker" -> value.put("selected_date", blank(typed));
                default -> value.put("value", blank(typed));
            }
            // what Slack's client checks before it sends anything
            boolean empty = value.path("selected_option").isNull() || blank(typed) == null;
            int max = element.path("max_length").asInt(0);
            if (empty && !block.path("optional").asBoolean(false)) {
                refused.put(blockId, REQUIRED);
            } else if (max > 0 && typed != null && typed.length() > max) {
                refused.put(blockId, TOO_LONG + max);
            }
        }
        v.stateValues = values.toString();
        v.updatedAt = Instant.now();
        if (!refused.isEmpty()) {
            v.errors = refused.toString();
            return mapper.createObjectNode();
        }
        v.errors = null;
        ObjectNode p = mapper.createObjectNode();
        p.put("type", "view_submission");
        p.set("team", team());
        p.set("user", userNode(user));
        p.put("api_app_id", SlackSandbox.APP);
        p.put("token", "sandbox-verification-token");
        p.put("trigger_id", trigger(user, v.channelId).id);
        p.set("view", workspace.viewAnswer(v));
        p.putArray("response_urls");
        p.put("is_enterprise_install", false);
        return p;
    }

    private Outcome afterSubmission(SandboxUser user, String viewId, SandboxApp.Answer answer) {
        SandboxView v = repo.viewForUpdate(viewId).orElse(null);
        if (v == null) {
            return Outcome.refused("slack.error.noView");
        }
        if (!answer.ok()) {
            v.errors = mapper.createObjectNode().put("", "Toban did not answer: " + failure(answer)).toString();
            return Outcome.ok(null);
        }
        JsonNode body = answer.body() == null || answer.body().isBlank() ? null : readOrNull(answer.body());
        String action = body == null ? "" : body.path("response_action").asText("");
        switch (action) {
            case "errors" -> v.errors = body.path("errors").isObject() ? body.path("errors").toString() : "{}";
            case "update" -> {
                if (body.path("view").isObject()) {
                    v.view = body.path("view").toString();
                    v.errors = null;
                    v.stateValues = null;
                }
            }
            case "push" -> {
                if (body.path("view").isObject()) {
                    SandboxView pushed = new SandboxView();
                    pushed.id = "V" + SandboxWorkspace.random(10);
                    pushed.userId = user.id;
                    pushed.channelId = v.channelId;
                    pushed.view = body.path("view").toString();
                    pushed.hash = Instant.now().getEpochSecond() + "." + SandboxWorkspace.random(12);
                    pushed.previousViewId = v.id;
                    pushed.open = true;
                    pushed.createdAt = Instant.now();
                    pushed.updatedAt = pushed.createdAt;
                    repo.persist(pushed);
                }
            }
            case "clear" -> repo.openViews(user.id).forEach(o -> o.open = false);
            default -> v.open = false;
        }
        v.updatedAt = Instant.now();
        if (answer.tooSlow()) {
            note(user, v.channelId, null, ":hourglass: Toban took " + seconds(answer.took())
                    + " s to answer the form; Slack gives up after 3 s and the modal would show an error");
        }
        return Outcome.ok(null);
    }

    /** The user closes the modal; the app hears of it if it asked ({@code notify_on_close}). */
    public void close(SandboxUser user, String viewId) {
        ObjectNode payload = QuarkusTransaction.requiringNew().call(() -> {
            SandboxView v = repo.viewForUpdate(viewId).orElse(null);
            if (v == null || !v.userId.equals(user.id) || !v.open) {
                return null;
            }
            v.open = false;
            v.updatedAt = Instant.now();
            if (!workspace.parse(v.view).path("notify_on_close").asBoolean(false)) {
                return null;
            }
            ObjectNode p = mapper.createObjectNode();
            p.put("type", "view_closed");
            p.set("team", team());
            p.set("user", userNode(user));
            p.put("api_app_id", SlackSandbox.APP);
            p.set("view", workspace.viewAnswer(v));
            p.put("is_cleared", false);
            return p;
        });
        if (payload != null) {
            app.interaction(payload);
        }
    }

    // ------------------------------------------------------------------ typing

    /**
     * What the user types in a channel or thread: a slash command goes to the app; anything else is a
     * message from the user (Toban does not read channel messages, so it only shows on the page).
     */
    public Outcome type(SandboxUser user, String channelId, String threadTs, String typed) {
        String text = typed == null ? "" : Text.clean(typed).strip();
        if (text.isEmpty()) {
            return Outcome.refused("slack.error.empty");
        }
        if (!text.startsWith("/")) {
            return QuarkusTransaction.requiringNew().call(() -> {
                SandboxChannel channel = repo.channel(channelId).orElse(null);
                if (channel == null) {
                    return Outcome.refused("slack.error.noChannel");
                }
                ObjectNode p = mapper.createObjectNode().put("text", text);
                if (threadTs != null) {
                    p.put("thread_ts", threadTs);
                }
                ObjectNode answer = workspace.post(channel, p, user.id, null);
                return answer.path("ok").asBoolean() ? Outcome.ok(threadTs) : Outcome.refused("slack.error.notPosted");
            });
        }
        int space = text.indexOf(' ');
        String command = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        String argument = space < 0 ? "" : text.substring(space + 1).strip();
        Map<String, String> form = QuarkusTransaction.requiringNew().call(() -> commandForm(user, channelId, threadTs,
                command, argument, text));
        if (form == null) {
            return Outcome.refused("slack.error.noChannel");
        }
        if (form.isEmpty()) {
            return Outcome.ok(threadTs); // not a command of the app: Slackbot said so
        }
        SandboxApp.Answer answer = app.command(form);
        QuarkusTransaction.requiringNew().run(() -> afterCommand(user, channelId, threadTs, command, text, answer));
        return Outcome.ok(threadTs);
    }

    private Map<String, String> commandForm(SandboxUser user, String channelId, String threadTs, String command,
                                            String argument, String text) {
        SandboxChannel channel = repo.channel(channelId).orElse(null);
        if (channel == null) {
            return null;
        }
        // what the user typed stays visible to them, as Slack keeps a command in the composer's history
        ObjectNode echo = mapper.createObjectNode().put("text", text);
        if (threadTs != null) {
            echo.put("thread_ts", threadTs);
        }
        workspace.post(channel, echo, user.id, user.id);
        if (!COMMANDS.contains(command)) {
            note(user, channelId, threadTs, "`" + command + "` is not a valid command. The sandbox's app has "
                    + String.join(" and ", COMMANDS.stream().sorted().toList())
                    + ". (In Slack, every message that starts with \"/\" is read as a command.)");
            return Map.of();
        }
        SandboxTrigger trigger = trigger(user, channelId);
        SandboxResponse response = response(user, channelId, threadTs, null);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "sandbox-verification-token");
        form.put("team_id", SlackSandbox.TEAM);
        form.put("team_domain", SlackSandbox.TEAM_DOMAIN);
        form.put("channel_id", channelId);
        form.put("channel_name", channel.isDm() ? "directmessage" : channel.name);
        form.put("user_id", user.id);
        form.put("user_name", user.username);
        form.put("command", command);
        form.put("text", argument);
        form.put("api_app_id", SlackSandbox.APP);
        form.put("is_enterprise_install", "false");
        form.put("response_url", responseUrl(response));
        form.put("trigger_id", trigger.id);
        return form;
    }

    private void afterCommand(SandboxUser user, String channelId, String threadTs, String command, String text,
                              SandboxApp.Answer answer) {
        if (!answer.ok()) {
            note(user, channelId, threadTs, command + " failed with the error \"" + failure(answer) + "\"");
            return;
        }
        if (answer.tooSlow()) {
            note(user, channelId, threadTs, ":hourglass: Toban took " + seconds(answer.took()) + " s to answer "
                    + command + "; Slack gives up after 3 s (\"operation_timeout\")");
        }
        String body = answer.body() == null ? "" : answer.body().strip();
        if (body.isEmpty()) {
            return;
        }
        JsonNode json = answer.json() || body.startsWith("{") ? readOrNull(body) : null;
        SandboxChannel channel = repo.channel(channelId).orElseThrow();
        if (json == null) {
            ObjectNode p = mapper.createObjectNode().put("text", body);
            inThread(p, threadTs);
            workspace.post(channel, p, SlackSandbox.BOT_USER, user.id);
            return;
        }
        answerMessage(user, channel, threadTs, json, text);
    }

    /** A message the app answered (to a command, or through a response_url), ephemeral unless in_channel. */
    private void answerMessage(SandboxUser user, SandboxChannel channel, String threadTs, JsonNode json, String invocation) {
        ObjectNode p = mapper.createObjectNode();
        if (json.has("text")) {
            p.put("text", json.path("text").asText());
        }
        if (json.has("blocks")) {
            p.set("blocks", json.path("blocks"));
        }
        inThread(p, json.hasNonNull("thread_ts") ? json.path("thread_ts").asText() : threadTs);
        boolean inChannel = "in_channel".equals(json.path("response_type").asText());
        if (inChannel && invocation != null) {
            ObjectNode shown = mapper.createObjectNode().put("text", invocation);
            inThread(shown, threadTs);
            workspace.post(channel, shown, user.id, null);
        }
        ObjectNode posted = workspace.post(channel, p, SlackSandbox.BOT_USER, inChannel ? null : user.id);
        if (!posted.path("ok").asBoolean()) {
            note(user, channel.id, threadTs, ":warning: Slack would refuse Toban's answer: "
                    + posted.path("error").asText() + " " + posted.path("errors"));
        }
    }

    // ------------------------------------------------------------------ response_url

    /** What a response_url answers. */
    public record Responded(int status, String error) {
    }

    /** An answer the app posts to a response_url the sandbox handed out. */
    public Responded respond(UUID id, JsonNode body) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SandboxResponse r = repo.responseForUpdate(id).orElse(null);
            if (r == null || Duration.between(r.createdAt, Instant.now()).compareTo(RESPONSE_TTL) > 0) {
                return new Responded(404, "expired_url");
            }
            if (r.uses >= RESPONSE_USES) {
                return new Responded(404, "used_url");
            }
            if (body == null || !body.isObject()) {
                return new Responded(400, "invalid_payload");
            }
            r.uses++;
            SandboxChannel channel = r.channelId == null ? null : repo.channel(r.channelId).orElse(null);
            SandboxUser user = repo.user(r.userId).orElse(null);
            if (channel == null || user == null) {
                return new Responded(404, "channel_not_found");
            }
            if (body.path("delete_original").asBoolean(false) && r.messageTs != null) {
                repo.messageForUpdate(channel.id, r.messageTs).filter(m -> SlackSandbox.BOT_USER.equals(m.userId)
                        || user.id.equals(m.ephemeralFor)).ifPresent(repo::delete);
                return new Responded(200, null);
            }
            if (body.path("replace_original").asBoolean(false) && r.messageTs != null) {
                Optional<SandboxMessage> original = repo.messageForUpdate(channel.id, r.messageTs);
                if (original.isPresent()) {
                    SandboxMessage m = original.get();
                    m.text = body.has("text") ? Text.clean(body.path("text").asText()) : m.text;
                    m.blocks = body.has("blocks") ? body.path("blocks").toString() : m.blocks;
                    m.editedAt = Instant.now();
                    return new Responded(200, null);
                }
            }
            answerMessage(user, channel, r.threadTs, body, null);
            return new Responded(200, null);
        });
    }

    // ------------------------------------------------------------------ helpers

    /** A note from Slackbot that only {@code user} sees. */
    private void note(SandboxUser user, String channelId, String threadTs, String text) {
        SandboxChannel channel = channelId == null ? null : repo.channel(channelId).orElse(null);
        if (channel == null) {
            return;
        }
        ObjectNode p = mapper.createObjectNode().put("text", text);
        inThread(p, threadTs);
        workspace.post(channel, p, SlackSandbox.SLACKBOT, user.id);
    }

    private static void inThread(ObjectNode p, String threadTs) {
        if (threadTs != null) {
            p.put("thread_ts", threadTs);
        }
    }

    private SandboxTrigger trigger(SandboxUser user, String channelId) {
        SandboxTrigger t = new SandboxTrigger();
        t.id = SandboxWorkspace.triggerId();
        t.userId = user.id;
        t.channelId = channelId;
        t.createdAt = Instant.now();
        repo.persist(t);
        return t;
    }

    private SandboxResponse response(SandboxUser user, String channelId, String threadTs, String messageTs) {
        SandboxResponse r = new SandboxResponse();
        r.id = UUID.randomUUID();
        r.userId = user.id;
        r.channelId = channelId;
        r.threadTs = threadTs;
        r.messageTs = messageTs;
        r.createdAt = Instant.now();
        repo.persist(r);
        return r;
    }

    private String responseUrl(SandboxResponse r) {
        return sandbox.publicUrl() + "/sandbox/slack/responses/" + r.id;
    }

    private ObjectNode userNode(SandboxUser user) {
        ObjectNode u = mapper.createObjectNode();
        u.put("id", user.id);
        u.put("username", user.username);
        u.put("name", user.username);
        u.put("team_id", SlackSandbox.TEAM);
        return u;
    }

    private ObjectNode team() {
        return mapper.createObjectNode().put("id", SlackSandbox.TEAM).put("domain", SlackSandbox.TEAM_DOMAIN);
    }

    private ObjectNode channelNode(SandboxChannel c) {
        return mapper.createObjectNode().put("id", c.id).put("name", c.isDm() ? "directmessage" : c.name);
    }

    private JsonNode readOrNull(String body) {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String failure(SandboxApp.Answer answer) {
        if (answer.failure() != null) {
            return answer.failure();
        }
        String body = answer.body() == null ? "" : answer.body().strip();
        return "HTTP " + answer.status() + (body.isEmpty() ? "" : " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private static String nowTs() {
        Instant now = Instant.now();
        return now.getEpochSecond() + "." + String.format("%06d", now.getNano() / 1000);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The modal's errors by block id ({@code ""}: about the whole form). */
    public Map<String, String> errors(SandboxView v) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (v.errors != null) {
            JsonNode e = readOrNull(v.errors);
            if (e != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    errors.put(entry.getKey(), entry.getValue().asText());
                }
            }
        }
        return errors;
    }

    /** What the user typed last in the modal, by {@code <block_id>/<action_id>}. */
    public Map<String, String> typed(SandboxView v) {
        Map<String, String> typed = new LinkedHashMap<>();
        if (v.stateValues != null) {
            JsonNode values = readOrNull(v.stateValues);
            if (values != null) {
                values.fields().forEachRemaining(block -> block.getValue().fields().forEachRemaining(action -> {
                    JsonNode a = action.getValue();
                    String value = a.hasNonNull("selected_option") ? a.path("selected_option").path("value").asText()
                            : a.hasNonNull("value") ? a.path("value").asText()
                            : a.hasNonNull("selected_user") ? a.path("selected_user").asText()
                            : a.hasNonNull("selected_date") ? a.path("selected_date").asText() : null;
                    if (value != null) {
                        typed.put(block.getKey() + "/" + action.getKey(), value);
                    }
                }));
            }
        }
        return typed;
    }

    /** The parsed view of a modal. */
    public JsonNode viewJson(SandboxView v) {
        return workspace.parse(v.view);
    }

    List<SandboxView> openViews(SandboxUser user) {
        return QuarkusTransaction.requiringNew().call(() -> repo.openViews(user.id));
    }
}
