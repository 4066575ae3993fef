package dev.toban.notify.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.model.SandboxChannel;
import dev.toban.notify.model.SandboxMessage;
import dev.toban.notify.model.SandboxRepository;
import dev.toban.notify.model.SandboxTrigger;
import dev.toban.notify.model.SandboxUser;
import dev.toban.notify.model.SandboxView;
import dev.toban.notify.slack.BlockKit;
import dev.toban.plumbing.input.Text;
import dev.toban.plumbing.security.RandomTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Slack Web API as the sandbox answers it ({@code /sandbox/slack/api/<method>}): the methods Toban
 * calls, with Slack's argument names, answers and error codes (always HTTP 200 with {@code ok}), and
 * Slack's Block Kit limits ({@code invalid_blocks}, {@code invalid_arguments}). State is in the database.
 */
@ApplicationScoped
public class SandboxWorkspace {

    /** A channel id ({@code C…}, {@code D…}, {@code G…}); a user id ({@code U…}, {@code W…}, or a sandbox {@code U-name}). */
    static final Pattern CHANNEL_ID = Pattern.compile("[CDG]([A-Z0-9]{2,40}|-[A-Za-z0-9._@+-]{1,90})");
    static final Pattern USER_ID = Pattern.compile("[UW]([A-Z0-9]{2,40}|-[A-Za-z0-9._@+-]{1,90})");
    static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9._-]{1,80}");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final SandboxRepository repo;
    private final SandboxPeople people;
    private final SlackSandbox sandbox;
    private final ObjectMapper mapper;

    public SandboxWorkspace(SandboxRepository repo, SandboxPeople people, SlackSandbox sandbox, ObjectMapper mapper) {
        this.repo = repo;
        this.people = people;
        this.sandbox = sandbox;
        this.mapper = mapper;
    }

    /** Answers one Web API call made with the sandbox's bot token. */
    public ObjectNode call(String method, ObjectNode params) {
        return switch (method) {
            case "api.test" -> ok();
            case "auth.test" -> authTest();
            case "chat.postMessage" -> tx(() -> postMessage(params));
            case "chat.update" -> tx(() -> update(params));
            case "chat.delete" -> tx(() -> delete(params));
            case "chat.getPermalink" -> tx(() -> permalink(params));
            case "chat.postEphemeral" -> tx(() -> postEphemeral(params));
            case "conversations.open" -> tx(() -> open(params));
            case "conversations.info" -> tx(() -> info(params));
            case "conversations.history" -> tx(() -> history(params));
            case "conversations.replies" -> tx(() -> replies(params));
            case "views.open" -> tx(() -> viewsOpen(params, false));
            case "views.push" -> tx(() -> viewsOpen(params, true));
            case "views.update" -> tx(() -> viewsUpdate(params));
            case "users.info" -> usersInfo(params);
            case "users.lookupByEmail" -> lookupByEmail(params);
            default -> error("unknown_method");
        };
    }

    private static ObjectNode tx(java.util.function.Supplier<ObjectNode> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }

    // ------------------------------------------------------------------ auth

    private ObjectNode authTest() {
        ObjectNode r = ok();
        r.put("url", sandbox.publicUrl() + "/ui/slack/");
        r.put("team", "Toban sandbox");
        r.put("user", "toban");
        r.put("team_id", SlackSandbox.TEAM);
        r.put("user_id", SlackSandbox.BOT_USER);
        r.put("bot_id", SlackSandbox.BOT_ID);
        r.put("is_enterprise_install", false);
        return r;
    }

    // ------------------------------------------------------------------ chat

    private ObjectNode postMessage(ObjectNode p) {
        Optional<SandboxChannel> channel = resolve(text(p, "channel"), true);
        if (channel.isEmpty()) {
            return error("channel_not_found");
        }
        return post(channel.get(), p, SlackSandbox.BOT_USER, null);
    }

    private ObjectNode postEphemeral(ObjectNode p) {
        Optional<SandboxChannel> channel = resolve(text(p, "channel"), false);
        if (channel.isEmpty()) {
            return error("channel_not_found");
        }
        String user = text(p, "user");
        if (user == null || !USER_ID.matcher(user).matches()) {
            return error("user_not_found");
        }
        ObjectNode answer = post(channel.get(), p, SlackSandbox.BOT_USER, user);
        if (answer.path("ok").asBoolean()) {
            ObjectNode r = ok();
            r.put("message_ts", answer.path("ts").asText());
            return r;
        }
        return answer;
    }

    /** A new message from {@code user} (the bot, or a person typing on the page), checked like Slack checks it. */
    ObjectNode post(SandboxChannel channel, ObjectNode p, String user, String ephemeralFor) {
        String text = Text.clean(text(p, "text"));
        JsonNode blocks;
        JsonNode metadata;
        try {
            blocks = json(p, "blocks");
            metadata = json(p, "metadata");
        } catch (JsonProcessingException e) {
            return error("invalid_blocks_format");
        }
        if ((text == null || text.isBlank()) && (blocks == null || blocks.isEmpty())) {
            return error("no_text");
        }
        ObjectNode refused = refusal(text, blocks, metadata);
        if (refused != null) {
            return refused;
        }
        String threadTs = blank(text(p, "thread_ts"));
        if (threadTs != null) {
            Optional<SandboxMessage> parent = repo.message(channel.id, threadTs);
            if (parent.isEmpty() || parent.get().ephemeralFor != null) {
                return error("thread_not_found");
            }
            if (parent.get().threadTs != null) {
                threadTs = parent.get().threadTs; // a reply to a reply goes in the same thread, as in Slack
            }
        }
        SandboxMessage m = new SandboxMessage();
        m.seq = repo.nextSeq();
        m.channelId = channel.id;
        m.ts = ts(m.seq);
        m.threadTs = threadTs;
        m.userId = user;
        m.text = text;
        m.blocks = blocks == null ? null : blocks.toString();
        m.metadata = metadata == null ? null : metadata.toString();
        m.ephemeralFor = ephemeralFor;
        m.createdAt = Instant.now();
        repo.persist(m);
        ObjectNode r = ok();
        r.put("channel", channel.id);
        r.put("ts", m.ts);
        r.set("message", view(m, false));
        return r;
    }

    private ObjectNode update(ObjectNode p) {
        String channelId = text(p, "channel");
        if (channelId == null || !CHANNEL_ID.matcher(channelId).matches() || repo.channel(channelId).isEmpty()) {
            return error("channel_not_found");
        }
        Optional<SandboxMessage> found = repo.messageForUpdate(channelId, String.valueOf(text(p, "ts")));
        if (found.isEmpty()) {
            return error("message_not_found");
        }
        SandboxMessage m = found.get();
        if (!SlackSandbox.BOT_USER.equals(m.userId)) {
            return error("cant_update_message");
        }
        String text = Text.clean(text(p, "text"));
        JsonNode blocks;
        JsonNode metadata;
        try {
            blocks = json(p, "blocks");
            metadata = json(p, "metadata");
        } catch (JsonProcessingException e) {
            return error("invalid_blocks_format");
        }
        ObjectNode refused = refusal(text, blocks, metadata);
        if (refused != null) {
            return refused;
        }
        if (text != null) {
            m.text = text;
        }
        if (p.has("blocks")) {
            m.blocks = blocks == null ? null : blocks.toString();
        }
        if (metadata != null) {
            m.metadata = metadata.toString();
        }
        m.editedAt = Instant.now();
        ObjectNode r = ok();
        r.put("channel", channelId);
        r.put("ts", m.ts);
        r.put("text", m.text);
        r.set("message", view(m, false));
        return r;
    }

    private ObjectNode delete(ObjectNode p) {
        String channelId = text(p, "channel");
        Optional<SandboxMessage> found = channelId == null ? Optional.empty()
                : repo.messageForUpdate(channelId, String.valueOf(text(p, "ts")));
        if (found.isEmpty()) {
            return error("message_not_found");
        }
        if (!SlackSandbox.BOT_USER.equals(found.get().userId)) {
            return error("cant_delete_message");
        }
        repo.delete(found.get());
        ObjectNode r = ok();
        r.put("channel", channelId);
        r.put("ts", found.get().ts);
        return r;
    }

    private ObjectNode permalink(ObjectNode p) {
        String channelId = text(p, "channel");
        String ts = text(p, "message_ts");
        if (channelId == null || ts == null) {
            return error("invalid_arguments");
        }
        Optional<SandboxMessage> m = repo.message(channelId, ts);
        if (m.isEmpty()) {
            return error("message_not_found");
        }
        ObjectNode r = ok();
        r.put("channel", channelId);
        r.put("permalink", permalink(channelId, m.get()));
        return r;
    }

    /** Where the sandbox's page shows a message (its thread opened for a reply or a parent). */
    public String permalink(String channelId, SandboxMessage m) {
        String thread = m.threadTs != null ? m.threadTs : m.ts;
        return sandbox.publicUrl() + "/ui/slack/channels/" + channelId + "?thread=" + thread + "#m-" + m.ts;
    }

    /** The refusal Slack would answer for this content, or null. */
    private ObjectNode refusal(String text, JsonNode blocks, JsonNode metadata) {
        if (text != null && text.length() > BlockKit.MESSAGE_TEXT) {
            return error("msg_too_long");
        }
        if (blocks != null) {
            List<String> problems = BlockKit.violations(blocks, BlockKit.Surface.MESSAGE);
            if (!problems.isEmpty()) {
                ObjectNode r = error("invalid_blocks");
                ArrayNode errors = r.putArray("errors");
                problems.forEach(errors::add);
                return r;
            }
        }
        if (metadata != null && (!metadata.path("event_type").isTextual() || !metadata.path("event_payload").isObject())) {
            return error("invalid_metadata_format");
        }
        return null;
    }

    // ------------------------------------------------------------------ conversations

    private ObjectNode open(ObjectNode p) {
        String users = text(p, "users");
        Optional<SandboxChannel> channel;
        if (users != null && !users.isBlank()) {
            String first = users.split(",")[0].strip();
            if (!USER_ID.matcher(first).matches()) {
                return error("user_not_found");
            }
            channel = resolve(first, true);
        } else {
            channel = resolve(text(p, "channel"), false);
        }
        if (channel.isEmpty()) {
            return error("channel_not_found");
        }
        ObjectNode r = ok();
        r.set("channel", channelView(channel.get()));
        return r;
    }

    private ObjectNode info(ObjectNode p) {
        Optional<SandboxChannel> channel = resolve(text(p, "channel"), false);
        if (channel.isEmpty()) {
            return error("channel_not_found");
        }
        ObjectNode r = ok();
        r.set("channel", channelView(channel.get()));
        return r;
    }

    private ObjectNode history(ObjectNode p) {
        Optional<SandboxChannel> channel = resolve(text(p, "channel"), false);
        if (channel.isEmpty()) {
            return error("channel_not_found");
        }
        boolean metadata = truthy(text(p, "include_all_metadata"));
        ArrayNode list = mapper.createArrayNode();
        repo.history(channel.get().id, blank(text(p, "oldest")), limit(p)).forEach(m -> list.add(view(m, metadata)));
        ObjectNode r = ok();
        r.set("messages", list);
        r.put("has_more", false);
        return r;
    }

    private ObjectNode replies(ObjectNode p) {
        Optional<SandboxChannel> channel = resolve(text(p, "channel"), false);
        if (channel.isEmpty()) {
            return error("channel_not_found");
        }
        String ts = text(p, "ts");
        if (ts == null || repo.message(channel.get().id, ts).isEmpty()) {
            return error("thread_not_found");
        }
        boolean metadata = truthy(text(p, "include_all_metadata"));
        ArrayNode list = mapper.createArrayNode();
        repo.thread(channel.get().id, ts, blank(text(p, "oldest")), limit(p)).forEach(m -> list.add(view(m, metadata)));
        ObjectNode r = ok();
        r.set("messages", list);
        r.put("has_more", false);
        return r;
    }

    /**
     * The channel a {@code channel} argument names: an id, a user id (their DM, created on first use)
     * or a name ({@code #incidents} or {@code incidents}, created on the first post when {@code create}).
     */
    Optional<SandboxChannel> resolve(String channel, boolean create) {
        if (channel == null || channel.isBlank()) {
            return Optional.empty();
        }
        String c = channel.strip();
        if (CHANNEL_ID.matcher(c).matches()) {
            return repo.channel(c);
        }
        if (USER_ID.matcher(c).matches()) {
            Optional<SandboxChannel> dm = repo.dmWith(c);
            if (dm.isPresent() || !create) {
                return dm;
            }
            SandboxChannel created = new SandboxChannel();
            created.id = "D" + c.substring(1);
            created.dmUserId = c;
            created.createdAt = Instant.now();
            repo.insertChannel(created);
            return repo.dmWith(c);
        }
        String name = (c.startsWith("#") ? c.substring(1) : c).toLowerCase(Locale.ROOT);
        if (!CHANNEL_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Optional<SandboxChannel> named = repo.channelNamed(name);
        if (named.isPresent() || !create) {
            return named;
        }
        SandboxChannel created = new SandboxChannel();
        created.id = "C" + random(10);
        created.name = name;
        created.createdAt = Instant.now();
        repo.insertChannel(created);
        return repo.channelNamed(name);
    }

    private ObjectNode channelView(SandboxChannel c) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", c.id);
        if (c.isDm()) {
            n.put("is_im", true);
            n.put("user", c.dmUserId);
        } else {
            n.put("name", c.name);
            n.put("is_channel", true);
            n.put("is_im", false);
        }
        return n;
    }

    /** A message as the Web API shows it. */
    ObjectNode view(SandboxMessage m, boolean withMetadata) {
        ObjectNode n = mapper.createObjectNode();
        n.put("type", "message");
        n.put("user", m.userId);
        if (SlackSandbox.BOT_USER.equals(m.userId)) {
            n.put("bot_id", SlackSandbox.BOT_ID);
        }
        n.put("text", m.text == null ? "" : m.text);
        n.put("ts", m.ts);
        if (m.threadTs != null) {
            n.put("thread_ts", m.threadTs);
        }
        if (m.blocks != null) {
            n.set("blocks", parse(m.blocks));
        }
        if (m.editedAt != null) {
            n.putObject("edited").put("user", m.userId).put("ts", ts(m.editedAt));
        }
        if (withMetadata && m.metadata != null) {
            n.set("metadata", parse(m.metadata));
        }
        return n;
    }

    // ------------------------------------------------------------------ views

    private ObjectNode viewsOpen(ObjectNode p, boolean push) {
        String triggerId = text(p, "trigger_id");
        Optional<SandboxTrigger> trigger = triggerId == null ? Optional.empty() : repo.triggerForUpdate(triggerId);
        if (trigger.isEmpty()) {
            return error("invalid_trigger_id");
        }
        SandboxTrigger t = trigger.get();
        if (t.used) {
            return error("trigger_exchanged");
        }
        Duration age = Duration.between(t.createdAt, Instant.now());
        if (age.compareTo(sandbox.settings().triggerTtl()) > 0) {
            return error("expired_trigger_id");
        }
        JsonNode viewJson;
        try {
            viewJson = json(p, "view");
        } catch (JsonProcessingException e) {
            return invalidArguments(List.of("view is not valid JSON [json-pointer:/view]"));
        }
        List<String> problems = BlockKit.viewViolations(viewJson);
        if (!problems.isEmpty()) {
            return invalidArguments(problems);
        }
        SandboxView v = new SandboxView();
        v.id = "V" + random(10);
        v.userId = t.userId;
        v.channelId = t.channelId;
        v.externalId = blank(viewJson.path("external_id").asText(null));
        v.view = viewJson.toString();
        v.hash = hash();
        v.open = true;
        v.createdAt = Instant.now();
        v.updatedAt = v.createdAt;
        if (push) {
            v.previousViewId = repo.openViews(t.userId).stream().findFirst().map(o -> o.id).orElse(null);
        } else {
            // a user sees one modal stack at a time: a new one replaces what was left open
            repo.openViews(t.userId).forEach(o -> o.open = false);
        }
        repo.persist(v);
        t.used = true;
        ObjectNode r = ok();
        r.set("view", viewAnswer(v));
        return r;
    }

    private ObjectNode viewsUpdate(ObjectNode p) {
        String viewId = blank(text(p, "view_id"));
        String externalId = blank(text(p, "external_id"));
        Optional<SandboxView> found = viewId != null ? repo.viewForUpdate(viewId)
                : externalId != null ? repo.viewWithExternalId(externalId) : Optional.empty();
        if (found.isEmpty()) {
            return error("not_found");
        }
        SandboxView v = found.get();
        String hash = blank(text(p, "hash"));
        if (hash != null && !hash.equals(v.hash)) {
            return error("hash_conflict");
        }
        JsonNode viewJson;
        try {
            viewJson = json(p, "view");
        } catch (JsonProcessingException e) {
            return invalidArguments(List.of("view is not valid JSON [json-pointer:/view]"));
        }
        List<String> problems = BlockKit.viewViolations(viewJson);
        if (!problems.isEmpty()) {
            return invalidArguments(problems);
        }
        v.view = viewJson.toString();
        v.hash = hash();
        v.errors = null;
        v.updatedAt = Instant.now();
        ObjectNode r = ok();
        r.set("view", viewAnswer(v));
        return r;
    }

    /** A view as Slack answers it (and sends it in view_submission): the app's view plus Slack's fields. */
    public ObjectNode viewAnswer(SandboxView v) {
        ObjectNode view = (ObjectNode) parse(v.view);
        view.put("id", v.id);
        view.put("team_id", SlackSandbox.TEAM);
        view.put("app_id", SlackSandbox.APP);
        view.put("bot_id", SlackSandbox.BOT_ID);
        view.put("hash", v.hash);
        view.put("root_view_id", v.previousViewId == null ? v.id : v.previousViewId);
        if (v.previousViewId == null) {
            view.putNull("previous_view_id");
        } else {
            view.put("previous_view_id", v.previousViewId);
        }
        if (!view.has("private_metadata")) {
            view.put("private_metadata", "");
        }
        if (!view.has("callback_id")) {
            view.put("callback_id", "");
        }
        view.put("external_id", v.externalId == null ? "" : v.externalId);
        view.putObject("state").set("values", v.stateValues == null ? mapper.createObjectNode() : parse(v.stateValues));
        return view;
    }

    private ObjectNode invalidArguments(List<String> problems) {
        ObjectNode r = error("invalid_arguments");
        ArrayNode messages = r.putObject("response_metadata").putArray("messages");
        problems.forEach(m -> messages.add("[ERROR] " + m));
        return r;
    }

    // ------------------------------------------------------------------ users

    private ObjectNode usersInfo(ObjectNode p) {
        String id = text(p, "user");
        if (id == null || !USER_ID.matcher(id).matches()) {
            return error("user_not_found");
        }
        if (SlackSandbox.BOT_USER.equals(id)) {
            ObjectNode r = ok();
            ObjectNode u = r.putObject("user");
            u.put("id", id).put("team_id", SlackSandbox.TEAM).put("name", "toban").put("real_name", "Toban")
                    .put("is_bot", true).put("deleted", false);
            u.putObject("profile").put("real_name", "Toban").put("display_name", "Toban").put("bot_id", SlackSandbox.BOT_ID);
            return r;
        }
        return people.describe(id).map(this::userAnswer).orElseGet(() -> error("user_not_found"));
    }

    private ObjectNode lookupByEmail(ObjectNode p) {
        String email = text(p, "email");
        if (email == null || email.isBlank()) {
            return error("users_not_found");
        }
        return people.byEmail(email.strip()).map(this::userAnswer).orElseGet(() -> error("users_not_found"));
    }

    private ObjectNode userAnswer(SandboxUser user) {
        ObjectNode r = ok();
        ObjectNode u = r.putObject("user");
        u.put("id", user.id);
        u.put("team_id", SlackSandbox.TEAM);
        u.put("name", user.username);
        u.put("real_name", user.name == null ? user.username : user.name);
        u.put("deleted", false);
        u.put("is_bot", false);
        u.put("is_admin", false);
        if (user.timeZone != null) {
            u.put("tz", user.timeZone);
        }
        ObjectNode profile = u.putObject("profile");
        profile.put("real_name", user.name == null ? user.username : user.name);
        profile.put("display_name", user.username);
        if (user.email != null) {
            profile.put("email", user.email);
        }
        return r;
    }

    // ------------------------------------------------------------------ helpers

    /** A Slack ts: seconds, then six digits that are the message number, so ts grow with every message. */
    static String ts(long seq) {
        return Instant.now().getEpochSecond() + "." + String.format("%06d", seq % 1_000_000);
    }

    private static String ts(Instant at) {
        return at.getEpochSecond() + "." + String.format("%06d", at.getNano() / 1000);
    }

    static String random(int length) {
        return RandomTokens.of(ALPHABET, length);
    }

    private static String hash() {
        return Instant.now().getEpochSecond() + "." + RandomTokens.hex(12);
    }

    /** A new trigger_id in Slack's shape. */
    static String triggerId() {
        return Instant.now().getEpochSecond() + "." + (1000 + RandomTokens.nextInt(9000)) + "." + RandomTokens.hex(10);
    }

    static String text(ObjectNode p, String field) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** A JSON argument: sent as a string in a form (or in JSON), or as JSON itself in a JSON body. */
    private JsonNode json(ObjectNode p, String field) throws JsonProcessingException {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText().isBlank() ? null : mapper.readTree(v.asText());
        }
        return v;
    }

    /** Stored sandbox JSON (blocks, views) as a tree. */
    public JsonNode parseJson(String json) {
        return parse(json);
    }

    JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored sandbox JSON is not JSON", e);
        }
    }

    private static int limit(ObjectNode p) {
        try {
            int limit = Integer.parseInt(String.valueOf(text(p, "limit")));
            return Math.max(1, Math.min(limit, 1000));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static boolean truthy(String value) {
        return "true".equals(value) || "1".equals(value);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    ObjectNode ok() {
        return mapper.createObjectNode().put("ok", true);
    }

    ObjectNode error(String code) {
        return mapper.createObjectNode().put("ok", false).put("error", code);
    }
}
