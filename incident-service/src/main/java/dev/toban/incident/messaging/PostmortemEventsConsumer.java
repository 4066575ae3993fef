package dev.toban.incident.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.EventCatalog;
import dev.toban.contracts.EventType;
import dev.toban.contracts.postmortem.PostmortemEventData;
import dev.toban.incident.lifecycle.PostmortemDecisions;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
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
        EventType<?> contract = EventCatalog.find(event.type()).orElse(null);
        if (contract == null || !PostmortemEventData.class.isAssignableFrom(contract.dataType())) {
            return; // a type this version does not know: a newer postmortem-service's, not for us yet
        }
        decisions.apply(event.type(), (PostmortemEventData) event.dataAs(mapper, contract));
    }
}
