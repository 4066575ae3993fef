package dev.toban.notify.dispatch;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery to create. Build one with the static factories and the {@code with...} methods.
 *
 * @param messageKey  names the message among those of one event to one target (the template key, a page step)
 * @param lane        deliveries in one lane go one at a time (null: no ordering)
 * @param threadKey   deliveries of one incident thread go in {@code orderVersion} order
 * @param blockedBy   waits until this delivery (the thread's parent message) has been sent
 * @param recipient   the person the message is for (a DM, an email, a page); null for channels and webhooks
 */
public record NewDelivery(EventRef event, UUID incidentId, String purpose, String channel, String kind, String target,
                          String messageKey, String locale, Message message, String lane, UUID threadKey,
                          long orderVersion, short priority, UUID blockedBy, Instant dueAt, PersonRef recipient) {

    public static final String SLACK = "slack";
    public static final String EMAIL = "email";
    public static final String WEBHOOK = "webhook";
    /** The waking channels (issue 18): an E.164 number for sms and voice, a ntfy topic URL for push. */
    public static final String SMS = "sms";
    public static final String VOICE = "voice";
    public static final String PUSH = "push";
    public static final java.util.Set<String> WAKING = java.util.Set.of(SMS, VOICE, PUSH);

    public static final String SLACK_PARENT = "slack_parent";
    public static final String SLACK_REPLY = "slack_reply";
    public static final String SLACK_UPDATE = "slack_update";
    public static final String SLACK_POST = "slack_post";

    /** Lane of a Slack channel or DM: one post at a time, paced. */
    public static String slackLane(String target) {
        return "slack:" + target;
    }

    /** Lane of the parent-message updates of one incident: one at a time, not paced. */
    public static String updateLane(UUID incidentId) {
        return "slack-update:" + incidentId;
    }

    /** A post to a Slack channel or a DM (user id as the channel). */
    public static NewDelivery slackPost(EventRef event, String purpose, String target, String key, String locale, Message message) {
        return new NewDelivery(event, null, purpose, SLACK, SLACK_POST, target, key, locale, message,
                slackLane(target), null, 0, (short) 1, null, event.time(), null);
    }

    public static NewDelivery email(EventRef event, String purpose, String address, String key, String locale, Message message) {
        return new NewDelivery(event, null, purpose, EMAIL, EMAIL, address, key, locale, message,
                null, null, 0, (short) 1, null, event.time(), null);
    }

    public static NewDelivery webhook(EventRef event, String purpose, String target, String key, Message message) {
        return new NewDelivery(event, null, purpose, WEBHOOK, WEBHOOK, target, key, null, message,
                null, null, 0, (short) 1, null, event.time(), null);
    }

    /**
     * An SMS, a call or a push to one number or topic: in a lane of its own per channel and address, so one
     * message at a time goes there and the rate limit counts what went before.
     */
    public static NewDelivery waking(EventRef event, String purpose, String channel, String address, String key,
                                     String locale, Message message) {
        return new NewDelivery(event, null, purpose, channel, channel, address, key, locale, message,
                channel + ":" + address, null, 0, (short) 1, null, event.time(), null);
    }

    public NewDelivery withIncident(UUID id) {
        return new NewDelivery(event, id, purpose, channel, kind, target, messageKey, locale, message, lane, threadKey,
                orderVersion, priority, blockedBy, dueAt, recipient);
    }

    public NewDelivery dueAt(Instant at) {
        return new NewDelivery(event, incidentId, purpose, channel, kind, target, messageKey, locale, message, lane,
                threadKey, orderVersion, priority, blockedBy, at, recipient);
    }

    /** The person the message is for. */
    public NewDelivery forPerson(PersonRef person) {
        return new NewDelivery(event, incidentId, purpose, channel, kind, target, messageKey, locale, message, lane,
                threadKey, orderVersion, priority, blockedBy, dueAt, person);
    }

    /** Places the delivery in an incident thread (parent or reply) in the parent's channel lane. */
    public NewDelivery inThread(String kindInThread, UUID incident, long version, UUID parent, short prio) {
        return new NewDelivery(event, incident, purpose, channel, kindInThread, target, messageKey, locale, message,
                lane, incident, version, prio, parent, dueAt, recipient);
    }

    /** A chat.update of the parent: its own lane per incident, waiting for the parent. */
    public NewDelivery asParentUpdate(UUID incident, UUID parent) {
        return new NewDelivery(event, incident, purpose, channel, SLACK_UPDATE, target, messageKey, locale, message,
                updateLane(incident), null, 0, (short) 1, parent, dueAt, recipient);
    }
}
