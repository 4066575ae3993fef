package dev.toban.incident.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.oncall.OnCallContracts.TeamChanged;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes oncall-service's team and person events (queue {@code incident-service.oncall-events}). */
@ApplicationScoped
public class OnCallEventsConsumer {

    static final String CONSUMER = "incident-service.oncall-events";

    private final EventInbox inbox;
    private final ObjectMapper mapper;
    private final TeamDirectoryService teams;
    private final PeopleDirectoryService people;

    public OnCallEventsConsumer(EventInbox inbox, ObjectMapper mapper, TeamDirectoryService teams,
                                PeopleDirectoryService people) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.teams = teams;
        this.people = people;
    }

    @Incoming("oncall-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
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
