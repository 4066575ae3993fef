package dev.toban.notify.messaging;

import dev.toban.notify.thread.PostmortemNotifier;
import dev.toban.notify.webhook.WebhookFanout;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** postmortem-service's events (queue {@code notify-service.postmortem-events}). */
@ApplicationScoped
public class PostmortemEventsConsumer {

    static final String CONSUMER = "notify-service.postmortem-events";

    private final EventInbox inbox;
    private final PostmortemNotifier postmortems;
    private final WebhookFanout webhooks;

    public PostmortemEventsConsumer(EventInbox inbox, PostmortemNotifier postmortems, WebhookFanout webhooks) {
        this.inbox = inbox;
        this.postmortems = postmortems;
        this.webhooks = webhooks;
    }

    @Incoming("postmortem-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        postmortems.apply(event);
        webhooks.apply(event);
    }
}
