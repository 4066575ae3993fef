package dev.toban.incident.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.service.Actor;
import dev.toban.incident.service.IncidentService;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import dev.toban.plumbing.inbox.PoisonEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Consumes notify-service's events (queue {@code incident-service.notify-events}): the incident's Slack thread. */
@ApplicationScoped
public class NotifyEventsConsumer {

    static final String CONSUMER = "incident-service.notify-events";
    private static final Logger LOG = Logger.getLogger(NotifyEventsConsumer.class);
    private static final Actor NOTIFY = new Actor("service:notify-service", null, null);

    private final EventInbox inbox;
    private final ObjectMapper mapper;
    private final IncidentRepository incidents;
    private final IncidentService lifecycle;

    public NotifyEventsConsumer(EventInbox inbox, ObjectMapper mapper, IncidentRepository incidents,
                                IncidentService lifecycle) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.incidents = incidents;
        this.lifecycle = lifecycle;
    }

    /** The {@code data} of {@code toban.notify.slack_thread.created}. */
    public record SlackThreadCreated(UUID incidentId, String channel, String ts, String permalink) {
    }

    @Incoming("notify-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        if (!"toban.notify.slack_thread.created".equals(event.type())) {
            return;
        }
        SlackThreadCreated thread;
        try {
            thread = event.dataAs(mapper, SlackThreadCreated.class);
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("slack_thread.created data is malformed: " + e.getMessage(), e);
        }
        if (thread.incidentId() == null || thread.channel() == null || thread.channel().isBlank()
                || thread.ts() == null || thread.ts().isBlank()) {
            throw new PoisonEventException("slack_thread.created lacks incidentId, channel or ts");
        }
        incidents.lock(thread.incidentId()).ifPresentOrElse(
                incident -> lifecycle.applySlackThread(incident, thread.channel(), thread.ts(), thread.permalink(), NOTIFY),
                () -> LOG.warnf("Slack thread for unknown incident %s ignored", thread.incidentId()));
    }
}
