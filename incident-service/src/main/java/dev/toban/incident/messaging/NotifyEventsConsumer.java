package dev.toban.incident.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.Actor;
import dev.toban.contracts.notify.NotifyContracts.DeliveryOutcome;
import dev.toban.contracts.notify.NotifyContracts.SlackThreadCreated;
import dev.toban.contracts.notify.NotifyContracts;
import dev.toban.incident.escalation.DeliveryOutcomes;
import dev.toban.incident.escalation.PageAnswers;
import dev.toban.incident.lifecycle.IncidentUpdates;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import dev.toban.plumbing.inbox.PoisonEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes notify-service's events (queue {@code incident-service.notify-events}): the incident's Slack thread, and
 * each delivery's outcome ({@code toban.notify.delivery.sent|failed}) for the incident's timeline, and a paged
 * person's answer from any channel ({@code toban.notify.page.responded}: acknowledge or escalate). Idempotent
 * through the inbox (one effect per event id).
 */
@ApplicationScoped
public class NotifyEventsConsumer {

    static final String CONSUMER = "incident-service.notify-events";
    private static final Logger LOG = Logger.getLogger(NotifyEventsConsumer.class);
    private static final Actor NOTIFY = new Actor("service:notify-service", null, null);

    private final EventInbox inbox;
    private final ObjectMapper mapper;
    private final IncidentUpdates updates;
    private final DeliveryOutcomes deliveries;
    private final PageAnswers answers;

    public NotifyEventsConsumer(EventInbox inbox, ObjectMapper mapper,
                                IncidentUpdates updates, DeliveryOutcomes deliveries, PageAnswers answers) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.updates = updates;
        this.deliveries = deliveries;
        this.answers = answers;
    }

    static final String SLACK_THREAD_CREATED = NotifyContracts.SLACK_THREAD_CREATED.name();
    static final String DELIVERY_SENT = NotifyContracts.DELIVERY_SENT.name();
    static final String DELIVERY_FAILED = NotifyContracts.DELIVERY_FAILED.name();
    static final String PAGE_RESPONDED = NotifyContracts.PAGE_RESPONDED.name();

    @Incoming("notify-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        return inbox.handle(CONSUMER, message, this::apply);
    }

    void apply(CloudEvent event) {
        String type = event.type();
        if (SLACK_THREAD_CREATED.equals(type)) {
            slackThread(event);
        } else if (DELIVERY_SENT.equals(type) || DELIVERY_FAILED.equals(type)) {
            delivery(event);
        } else if (PAGE_RESPONDED.equals(type)) {
            responded(event);
        }
        // other notify events are for other consumers
    }

    private void delivery(CloudEvent event) {
        DeliveryOutcome outcome = event.dataAs(mapper, NotifyContracts.DELIVERY_SENT);
        if (outcome.incidentId() == null) {
            return; // a delivery tied to no incident (a handoff notice): nothing for a timeline
        }
        if (outcome.channel() == null || outcome.channel().isBlank() || outcome.outcome() == null
                || !List.of(NotifyContracts.DELIVERED, NotifyContracts.FAILED, NotifyContracts.REFUSED).contains(outcome.outcome())) {
            throw new PoisonEventException(event.type() + " lacks channel or a known outcome");
        }
        deliveries.record(outcome, event.time());
    }

    private void responded(CloudEvent event) {
        answers.apply(event.dataAs(mapper, NotifyContracts.PAGE_RESPONDED));
    }

    private void slackThread(CloudEvent event) {
        SlackThreadCreated thread = event.dataAs(mapper, NotifyContracts.SLACK_THREAD_CREATED);
        if (thread.incidentId() == null || thread.channel() == null || thread.channel().isBlank()
                || thread.ts() == null || thread.ts().isBlank()) {
            throw new PoisonEventException("slack_thread.created lacks incidentId, channel or ts");
        }
        if (!updates.applySlackThread(thread.incidentId(), thread.channel(), thread.channelName(), thread.ts(),
                thread.permalink(), NOTIFY)) {
            LOG.warnf("Slack thread for unknown incident %s ignored", thread.incidentId());
        }
    }
}
