package dev.toban.incident.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.oncall.OnCallContracts.TeamChanged;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.incident.client.EscalationTargets;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes oncall-service's events: team and person events for the directories (queue
 * {@code incident-service.oncall-events}, shared by the replicas), and every on-call change on each replica's own
 * queue ({@code oncall-changes}), which makes that replica's {@link EscalationTargets} forget the answers it
 * remembers, since any change may change whom a level pages.
 */
@ApplicationScoped
public class OnCallEventsConsumer {

    static final String CONSUMER = "incident-service.oncall-events";
    /** Types the shared queue of earlier versions was bound to for invalidation only: acked unread, no inbox row. */
    static final List<String> INVALIDATE_ONLY = List.of("toban.oncall.schedule.", "toban.oncall.override.",
            "toban.oncall.policy.");

    private final EventInbox inbox;
    private final ObjectMapper mapper;
    private final TeamDirectoryService teams;
    private final PeopleDirectoryService people;
    private final EscalationTargets targets;

    public OnCallEventsConsumer(EventInbox inbox, ObjectMapper mapper, TeamDirectoryService teams,
                                PeopleDirectoryService people, EscalationTargets targets) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.teams = teams;
        this.people = people;
        this.targets = targets;
    }

    /** An on-call change on this replica's own queue: oncall-service committed it before publishing, so the next lookup sees it. */
    @Incoming("oncall-changes")
    public CompletionStage<Void> forget(Message<?> message) {
        targets.invalidateAll();
        return message.ack();
    }

    @Incoming("oncall-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        // the routing key is the event type (docs/events.md): no need to parse the body to skip the inbox
        String type = message.getMetadata(IncomingRabbitMQMetadata.class).map(IncomingRabbitMQMetadata::getRoutingKey)
                .orElse(null);
        if (type != null && INVALIDATE_ONLY.stream().anyMatch(type::startsWith)) {
            return message.ack();
        }
        return inbox.handle(CONSUMER, message, this::apply);
    }

    /** An archive event names when; if its data does not, the event's time (or now) stands for it. */
    private void archived(CloudEvent event) {
        TeamChanged team = event.dataAs(mapper, OnCallContracts.TEAM_UPDATED);
        Instant at = team.archivedAt() != null ? team.archivedAt()
                : event.time() != null ? event.time() : Instant.now();
        teams.archive(team, at);
    }

    void apply(CloudEvent event) {
        switch (event.type()) {
            // the same record as created|updated: the archive types are not published today (docs/events.md)
            case "toban.oncall.team.created", "toban.oncall.team.updated" ->
                    teams.apply(event.dataAs(mapper, OnCallContracts.TEAM_UPDATED));
            case "toban.oncall.team.archived" -> archived(event);
            case "toban.oncall.team.unarchived", "toban.oncall.team.restored" ->
                    teams.archive(event.dataAs(mapper, OnCallContracts.TEAM_UPDATED), null);
            case "toban.oncall.person.created", "toban.oncall.person.updated" ->
                    people.apply(event.dataAs(mapper, OnCallContracts.PERSON_UPDATED));
            default -> {
                // other on-call events are bound for other consumers
            }
        }
    }
}
