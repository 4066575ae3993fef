package dev.toban.notify.messaging;

import dev.toban.notify.oncall.OnCallNotifier;
import dev.toban.notify.paging.ContactMethodSends;
import dev.toban.notify.webhook.WebhookFanout;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** oncall-service's shift, cover, contact-method and reachability events (queue {@code notify-service.oncall-events}). */
@ApplicationScoped
public class OnCallEventsConsumer {

    static final String CONSUMER = "notify-service.oncall-events";

    private final EventInbox inbox;
    private final OnCallNotifier oncall;
    private final WebhookFanout webhooks;

    public OnCallEventsConsumer(EventInbox inbox, OnCallNotifier oncall, WebhookFanout webhooks) {
        this.inbox = inbox;
        this.oncall = oncall;
        this.webhooks = webhooks;
    }

    @Incoming("oncall-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        oncall.apply(event);
        if (!ContactMethodSends.VERIFICATION_REQUESTED.equals(event.type())) {
            webhooks.apply(event); // a verification code is a secret of its person: never fanned out to webhooks
        }
    }
}
