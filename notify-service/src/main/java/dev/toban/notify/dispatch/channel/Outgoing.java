package dev.toban.notify.dispatch.channel;

import dev.toban.notify.dispatch.Message;
import java.time.Instant;
import java.util.UUID;

/**
 * What a channel needs for one attempt.
 *
 * @param threadChannel  Slack channel id of the incident thread (replies and parent updates)
 * @param threadTs       ts of the thread's parent message
 * @param knownChannelId a Slack channel id an earlier answer gave for {@code target}, for the duplicate check
 * @param attemptStarted when the earlier, unfinished attempt started (null unless its outcome is unknown)
 */
public record Outgoing(UUID deliveryId, String eventId, String eventType, UUID incidentId, String kind, String target,
                       Message message, String threadChannel, String threadTs, String knownChannelId, int attempt,
                       Instant attemptStarted) {
}
