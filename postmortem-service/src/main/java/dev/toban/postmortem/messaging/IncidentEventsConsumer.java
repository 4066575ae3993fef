package dev.toban.postmortem.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import dev.toban.postmortem.service.IncidentSnapshot;
import dev.toban.postmortem.service.IncidentSync;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes incident-service's events (queue {@code postmortem-service.incident-events}). */
@ApplicationScoped
public class IncidentEventsConsumer {

    static final String CONSUMER = "postmortem-service.incident-events";
    static final String RESOLVED = "toban.incident.resolved";
    static final String CLOSED = "toban.incident.closed";
    static final String REOPENED = "toban.incident.reopened";

    private final EventInbox inbox;
    private final IncidentSync sync;

    public IncidentEventsConsumer(EventInbox inbox, IncidentSync sync) {
        this.inbox = inbox;
        this.sync = sync;
    }

    @Incoming("incident-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        switch (event.type()) {
            case RESOLVED -> {
                IncidentSnapshot incident = sync.snapshotOf(event.data());
                sync.resolved(incident, event.data().get("incident"), event.time());
            }
            case CLOSED -> {
                IncidentSnapshot incident = sync.snapshotOf(event.data());
                sync.closed(incident, event.data().get("incident"), event.time());
            }
            case REOPENED -> {
                IncidentSnapshot incident = sync.snapshotOf(event.data());
                JsonNode reason = event.data().get("reason");
                sync.reopened(incident, event.data().get("incident"), sync.actorOf(event.data()),
                        reason == null || reason.isNull() ? null : reason.asText());
            }
            default -> {
                // the queue is bound to these three types only; anything else is not for us
            }
        }
    }
}
