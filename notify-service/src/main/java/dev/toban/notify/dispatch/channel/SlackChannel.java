package dev.toban.notify.dispatch.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.model.Message;
import dev.toban.notify.config.SlackSettings;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.plumbing.egress.EgressPolicy;
import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.slack.SlackClients;
import dev.toban.plumbing.slack.SlackClients.Reply;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Slack through the Web API with the bot token: channel posts, DMs (a user id as the channel),
 * incident-thread parents and replies, and chat.update of the parent. Every post carries message
 * metadata with the delivery id, which is how a resend after a crash finds the earlier post.
 * Every connection is vetted by the egress policy as it opens (toban-plumbing's {@link SlackClients}
 * gives the SDK's OkHttp client the policy's socket factory), so an API URL pointing inside is refused
 * like any webhook. The hot methods go through {@link SlackClients#call} (Jackson, not the SDK's per-call Gson).
 */
@ApplicationScoped
public class SlackChannel implements NotificationChannel {

    private static final Logger LOG = Logger.getLogger(SlackChannel.class);
    /** Metadata event type on every message Toban posts. */
    public static final String METADATA_TYPE = "toban_delivery";
    /** Slack errors that retrying will not fix. */
    private static final Set<String> PERMANENT = Set.of(
            "channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "no_text", "invalid_blocks",
            "invalid_blocks_format", "too_many_attachments", "restricted_action", "cant_update_message",
            "message_not_found", "edit_window_closed", "user_not_found", "cannot_dm_bot", "invalid_auth",
            "not_authed", "account_inactive", "token_revoked", "no_permission", "missing_scope",
            "invalid_metadata_format", "invalid_metadata_schema", "thread_not_found", "invalid_thread_ts");

    /** Channels whose permalinks Toban writes itself (see {@link #permalink}), at most this many at a time. */
    private static final int MAX_PERMALINK_CHANNELS = 1000;
    private static final Pattern SLACK_TS = Pattern.compile("\\d{1,12}\\.\\d{1,9}");

    private final ObjectMapper mapper;
    private final Map<String, String> permalinkPrefixes = new ConcurrentHashMap<>();
    private final SlackClients slack;
    private final MethodsClient methods;

    public SlackChannel(SlackSettings settings, ObjectMapper mapper, EgressPolicy egress) {
        this.mapper = mapper;
        Optional<String> token = settings.botToken().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent()) {
            this.slack = SlackClients.create(settings.apiUrl(), token.get(), settings.timeout(), egress);
            this.methods = slack.methods();
            LOG.infof("Slack is on (Web API at %s)", slack.apiUrl());
        } else {
            this.slack = null;
            this.methods = null;
            LOG.info("Slack is off: toban.slack.bot-token (SLACK_BOT_TOKEN) is not set; Slack deliveries are skipped");
        }
    }

    @PreDestroy
    void close() {
        if (slack != null) {
            slack.close();
        }
    }

    @Override
    public String name() {
        return NewDelivery.SLACK;
    }

    @Override
    public boolean enabled() {
        return methods != null;
    }

    @Override
    public String disabledReason() {
        return "Slack is off: no bot token (toban.slack.bot-token / SLACK_BOT_TOKEN)";
    }

    @Override
    public SendResult send(Outgoing o) {
        try {
            return switch (o.kind()) {
                case NewDelivery.SLACK_UPDATE -> update(o);
                case NewDelivery.SLACK_REPLY -> post(o, o.threadChannel() != null ? o.threadChannel() : o.target(), o.threadTs());
                default -> post(o, o.target(), null);
            };
        } catch (IOException e) {
            Optional<EgressRefusedException> refused = EgressRefusedException.in(e);
            if (refused.isPresent()) {
                return SendResult.failed(refused.get().getMessage() + " (Slack API)"); // retrying never helps
            }
            if (e instanceof java.net.ConnectException) {
                return SendResult.retry("Slack unreachable: " + e.getMessage());
            }
            // a timeout or a dropped connection: the post may have gone through
            return SendResult.retryUnknown("Slack call failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return SendResult.retryUnknown("Slack call failed: " + e);
        }
    }

    private SendResult post(Outgoing o, String channel, String threadTs) throws IOException {
        Map<String, String> form = new HashMap<>();
        form.put("channel", channel);
        form.put("thread_ts", threadTs);
        form.put("text", o.message().text());
        form.put("blocks", o.message().blocks() == null ? null : o.message().blocks().toString());
        form.put("metadata", metadata(o));
        form.put("unfurl_links", "false");
        form.put("unfurl_media", "false");
        Reply r = slack.call("chat.postMessage", form);
        if (!r.ok()) {
            return fromReply(r);
        }
        String permalink = NewDelivery.SLACK_PARENT.equals(o.kind()) ? permalink(r.text("channel"), r.text("ts")) : null;
        return SendResult.sent(r.text("ts"), r.text("channel"), permalink);
    }

    private SendResult update(Outgoing o) throws IOException {
        Map<String, String> form = new HashMap<>();
        form.put("channel", o.threadChannel());
        form.put("ts", o.threadTs());
        form.put("text", o.message().text());
        form.put("blocks", o.message().blocks() == null ? null : o.message().blocks().toString());
        form.put("metadata", metadata(o));
        Reply r = slack.call("chat.update", form);
        if (!r.ok()) {
            return fromReply(r);
        }
        return SendResult.sent(r.text("ts"), r.text("channel"), null);
    }

    /**
     * The parent's permalink for incident-service; a failure here does not fail the post. Slack's permalink of a
     * channel message is {@code https://<workspace>.slack.com/archives/<channel>/p<ts without the dot>}: once
     * chat.getPermalink answered in that shape for a channel, the channel's next parents get theirs without the call
     * (a second round trip before the outcome is recorded). An answer in any other shape (the Slack sandbox's page
     * links) is used as it is and asked for every message.
     */
    private String permalink(String channel, String ts) {
        String digits = SLACK_TS.matcher(ts).matches() ? ts.replace(".", "") : null; // null: no Slack-shaped link to write
        String prefix = digits == null ? null : permalinkPrefixes.get(channel);
        if (prefix != null) {
            return prefix + "p" + digits;
        }
        try {
            Reply r = slack.call("chat.getPermalink", Map.of("channel", channel, "message_ts", ts));
            if (r.ok()) {
                String link = r.text("permalink");
                if (digits != null && link != null && link.startsWith("https://")
                        && link.endsWith("/archives/" + channel + "/p" + digits)) {
                    if (permalinkPrefixes.size() >= MAX_PERMALINK_CHANNELS) {
                        permalinkPrefixes.clear(); // bounded: channels are asked again, never wrongly answered
                    }
                    permalinkPrefixes.put(channel, link.substring(0, link.length() - digits.length() - 1));
                }
                return link;
            }
            LOG.warnf("chat.getPermalink for %s/%s: HTTP %d %s", channel, ts, r.status(), r.error());
        } catch (IOException e) {
            LOG.warnf("chat.getPermalink for %s/%s failed: %s", channel, ts, e.getMessage());
        }
        return null;
    }

    /**
     * Looks for a message carrying this delivery's id, posted since the unfinished attempt began:
     * in the thread for a reply, in the channel history for other posts when the channel id is known.
     */
    @Override
    public Optional<SendResult> findEarlier(Outgoing o) {
        if (!enabled() || NewDelivery.SLACK_UPDATE.equals(o.kind())) {
            return Optional.empty(); // an update is idempotent: just send it again
        }
        String since = o.attemptStarted() == null ? null
                : slackTs(o.attemptStarted().minus(Duration.ofMinutes(1)));
        try {
            List<Message> messages;
            String channel;
            if (NewDelivery.SLACK_REPLY.equals(o.kind()) && o.threadChannel() != null && o.threadTs() != null) {
                channel = o.threadChannel();
                var r = methods.conversationsReplies(b -> b.channel(o.threadChannel()).ts(o.threadTs())
                        .includeAllMetadata(true).oldest(since).limit(200));
                if (!r.isOk()) {
                    return Optional.empty();
                }
                messages = r.getMessages();
            } else if (o.knownChannelId() != null) {
                channel = o.knownChannelId();
                var r = methods.conversationsHistory(b -> b.channel(o.knownChannelId()).includeAllMetadata(true)
                        .oldest(since).limit(200));
                if (!r.isOk()) {
                    return Optional.empty();
                }
                messages = r.getMessages();
            } else {
                return Optional.empty();
            }
            if (messages == null) {
                return Optional.empty();
            }
            String id = o.deliveryId().toString();
            for (Message m : messages) {
                if (m.getMetadata() != null && METADATA_TYPE.equals(m.getMetadata().getEventType())
                        && m.getMetadata().getEventPayload() != null
                        && id.equals(String.valueOf(m.getMetadata().getEventPayload().get("delivery_id")))) {
                    String permalink = NewDelivery.SLACK_PARENT.equals(o.kind()) ? permalink(channel, m.getTs()) : null;
                    return Optional.of(SendResult.sent(m.getTs(), channel, permalink));
                }
            }
        } catch (IOException | SlackApiException | RuntimeException e) {
            LOG.warnf("Cannot check Slack for an earlier post of delivery %s: %s", o.deliveryId(), e.getMessage());
        }
        return Optional.empty();
    }

    private String metadata(Outgoing o) {
        ObjectNode meta = mapper.createObjectNode();
        meta.put("event_type", METADATA_TYPE);
        ObjectNode payload = meta.putObject("event_payload");
        payload.put("delivery_id", o.deliveryId().toString());
        payload.put("event_id", o.eventId());
        if (o.incidentId() != null) {
            payload.put("incident_id", o.incidentId().toString());
        }
        return meta.toString();
    }

    /** A refused call: Slack's error code on HTTP 200, else the HTTP status (429 with its Retry-After). */
    private static SendResult fromReply(Reply r) {
        int code = r.status();
        String error = r.error();
        if (code / 100 == 2) {
            error = error == null ? "unknown_error" : error;
            if ("ratelimited".equals(error) || "rate_limited".equals(error)) {
                return SendResult.rateLimited(Duration.ofSeconds(1), "Slack: " + error);
            }
            if (PERMANENT.contains(error)) {
                return SendResult.failed("Slack: " + error);
            }
            return SendResult.retry("Slack: " + error);
        }
        if (code == 429) {
            String header = r.retryAfter();
            Duration wait = Duration.ofSeconds(1);
            try {
                if (header != null) {
                    wait = Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
                }
            } catch (NumberFormatException ignored) {
                // keep the one-second default
            }
            return SendResult.rateLimited(wait, "Slack HTTP 429, Retry-After " + header);
        }
        if (error != null && PERMANENT.contains(error)) {
            return SendResult.failed("Slack HTTP " + code + ": " + error);
        }
        if (code >= 500 || code == 408 || code == 0) {
            return SendResult.retryUnknown("Slack HTTP " + code);
        }
        return SendResult.failed("Slack HTTP " + code + ": " + abbreviate(r.rawBody()));
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** A Slack timestamp ("seconds.micros") for an instant. */
    static String slackTs(Instant at) {
        return at.getEpochSecond() + "." + String.format("%06d", at.getNano() / 1000);
    }
}
