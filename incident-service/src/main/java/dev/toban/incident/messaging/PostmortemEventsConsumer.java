package dev.toban.incident.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.incident.service.PostmortemDecisions;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import dev.toban.plumbing.inbox.PoisonEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes postmortem-service's events (queue {@code incident-service.postmortem-events}, exchange
 * {@code toban.postmortem}): the decision about each incident's postmortem, which ticks the IC's duty.
 */
@ApplicationScoped
public class PostmortemEventsConsumer {

    static final String CONSUMER = "incident-service.postmortem-events";

    private final EventInbox inbox;
    private final ObjectMapper mapper;
    private final PostmortemDecisions decisions;

    public PostmortemEventsConsumer(EventInbox inbox, ObjectMapper mapper, PostmortemDecisions decisions) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.decisions = decisions;
    }

    @Incoming("postmortem-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        if (!event.type().startsWith("toban.postmortem.") || event.type().startsWith("toban.postmortem.action_item.")) {
            return;
        }
        PostmortemDecisions.PostmortemEvent data;
        try {
            data = event.dataAs(mapper, PostmortemDecisions.PostmortemEvent.class);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PoisonEventException(event.type() + " data is malformed: " + e.getMessage(), e);
        }
        decisions.apply(event.type(), data);
    }
}
