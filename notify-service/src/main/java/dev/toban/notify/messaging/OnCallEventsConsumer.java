package dev.toban.notify.messaging;

import dev.toban.notify.client.PersonContactsCache;
import dev.toban.notify.oncall.OnCallNotifier;
import dev.toban.notify.paging.ContactMethodSends;
import dev.toban.notify.webhook.WebhookFanout;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * oncall-service's shift, cover, contact-method and reachability events (queue {@code notify-service.oncall-events},
 * shared by the replicas), and its person events on each replica's own queue ({@code oncall-changes}), which only
 * make that replica's page path forget how it reached people.
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

    /** A person changed: forget everyone (person events are rare; the next page of each asks oncall-service once). */
    @Incoming("oncall-changes")
    public CompletionStage<Void> forget(Message<?> message) {
        contacts.forgetAll();
        return message.ack();
    }

    @Incoming("oncall-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        // the routing key is the event type: person events bound here by earlier versions are acked unread
        String type = message.getMetadata(IncomingRabbitMQMetadata.class).map(IncomingRabbitMQMetadata::getRoutingKey)
                .orElse(null);
        if (type != null && type.startsWith(PERSON_EVENTS)) {
            return message.ack();
        }
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        if (event.type().startsWith(PERSON_EVENTS)) {
            return; // not notified, not fanned out to webhooks (they never carried person events)
        }
        oncall.apply(event);
        if (!ContactMethodSends.VERIFICATION_REQUESTED.equals(event.type())) {
            webhooks.apply(event); // a verification code is a secret of its person: never fanned out to webhooks
        }
    }
}
