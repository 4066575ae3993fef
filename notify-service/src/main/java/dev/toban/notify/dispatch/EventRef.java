package dev.toban.notify.dispatch;

import dev.toban.plumbing.events.CloudEvent;
import java.time.Instant;

/** The event a delivery comes from. */
public record EventRef(String id, String type, Instant time, String subject) {

    public static EventRef of(CloudEvent event) {
        return new EventRef(event.id(), event.type(), event.time() == null ? Instant.now() : event.time(), event.subject());
    }
}
