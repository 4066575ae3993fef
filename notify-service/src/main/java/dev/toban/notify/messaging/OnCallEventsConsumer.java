package dev.toban.notify.messaging;

import dev.toban.notify.client.PersonContactsCache;
import dev.toban.notify.oncall.OnCallNotifier;
import dev.toban.notify.paging.ContactMethodSends;
import dev.toban.notify.webhook.WebhookFanout;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * oncall-service's shift, cover, contact-method and reachability events (queue {@code notify-service.oncall-events}),
 * and its person events, which only make the page path forget what it knew of that person.
 */
@ApplicationScoped
public class OnCallEventsConsumer {

    static final String CONSUMER = "notify-service.oncall-events";
    private static final String PERSON_EVENTS = "toban.oncall.person.";

    private final EventInbox inbox;
    private final OnCallNotifier oncall;
    private final WebhookFanout webhooks;
    private final PersonContactsCache contacts;

    public OnCallEventsConsumer(EventInbox inbox, OnCallNotifier oncall, WebhookFanout webhooks,
                                PersonContactsCache contacts) {
        this.inbox = inbox;
        this.oncall = oncall;
        this.webhooks = webhooks;
        this.contacts = contacts;
    }

    @Incoming("oncall-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        if (event.type().startsWith(PERSON_EVENTS)) {
            if (event.subject() != null) {
                try {
                    contacts.forget(UUID.fromString(event.subject()));
                } catch (IllegalArgumentException notAnId) {
                    // nothing cached under it
                }
            }
            return; // not notified, not fanned out to webhooks (they never carried person events)
        }
        oncall.apply(event);
        if (!ContactMethodSends.VERIFICATION_REQUESTED.equals(event.type())) {
            webhooks.apply(event); // a verification code is a secret of its person: never fanned out to webhooks
        }
    }
}
