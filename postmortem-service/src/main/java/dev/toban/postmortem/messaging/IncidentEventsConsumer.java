package dev.toban.postmortem.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.incident.IncidentContracts.Noted;
import dev.toban.contracts.incident.IncidentContracts.Reopened;
import dev.toban.contracts.incident.IncidentContracts;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import dev.toban.postmortem.lifecycle.IncidentSync;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes incident-service's events (queue {@code postmortem-service.incident-events}). */
@ApplicationScoped
public class IncidentEventsConsumer {

    static final String CONSUMER = "postmortem-service.incident-events";
    static final String RESOLVED = IncidentContracts.RESOLVED.name();
    static final String CLOSED = IncidentContracts.CLOSED.name();
    static final String REOPENED = IncidentContracts.REOPENED.name();

    private final EventInbox inbox;
    private final IncidentSync sync;

    private final ObjectMapper mapper;

    public IncidentEventsConsumer(EventInbox inbox, IncidentSync sync, ObjectMapper mapper) {
        this.inbox = inbox;
        this.sync = sync;
        this.mapper = mapper;
    }

    @Incoming("incident-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        // the raw snapshot is kept as received (Postmortem.incidentSnapshot); every field read comes from the record
        String type = event.type();
        if (RESOLVED.equals(type)) {
            Noted data = event.dataAs(mapper, IncidentContracts.RESOLVED);
            sync.resolved(sync.snapshotOf(data), event.data().get("incident"), event.time());
        } else if (CLOSED.equals(type)) {
            Noted data = event.dataAs(mapper, IncidentContracts.CLOSED);
            sync.closed(sync.snapshotOf(data), event.data().get("incident"), event.time());
        } else if (REOPENED.equals(type)) {
            Reopened data = event.dataAs(mapper, IncidentContracts.REOPENED);
            sync.reopened(sync.snapshotOf(data), event.data().get("incident"), sync.actorOf(data), data.reason());
        }
        // the queue is bound to these three types only; anything else is not for us
    }
}
