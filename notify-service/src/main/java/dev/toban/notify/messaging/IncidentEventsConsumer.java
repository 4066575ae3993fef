package dev.toban.notify.messaging;

import dev.toban.notify.service.IncidentNotifier;
import dev.toban.notify.service.WebhookFanout;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * incident-service's events (queue {@code notify-service.incident-events}). Each event becomes
 * deliveries in its inbox transaction: a redelivered event creates nothing twice.
 */
@ApplicationScoped
public class IncidentEventsConsumer {

    static final String CONSUMER = "notify-service.incident-events";

    private final EventInbox inbox;
    private final IncidentNotifier incidents;
    private final WebhookFanout webhooks;

    public IncidentEventsConsumer(EventInbox inbox, IncidentNotifier incidents, WebhookFanout webhooks) {
        this.inbox = inbox;
        this.incidents = incidents;
        this.webhooks = webhooks;
    }

    @Incoming("incident-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        incidents.apply(event);
        webhooks.apply(event);
    }
}
