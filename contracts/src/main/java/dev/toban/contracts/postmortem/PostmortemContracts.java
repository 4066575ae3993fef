package dev.toban.contracts.postmortem;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.toban.contracts.Actor;
import dev.toban.contracts.EventType;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * postmortem-service's events (exchange {@code toban.postmortem}, docs/events.md "postmortem-service"). Every
 * data has {@code postmortem} and {@code actor}, plus the type's extra fields.
 */
public final class PostmortemContracts {

    private PostmortemContracts() {
    }

    public static final String PREFIX = "toban.postmortem.";

    public static final EventType<Opened> OPENED = EventType.of("toban.postmortem.opened", 1, Opened.class);
    public static final EventType<Decided> DECIDED = EventType.of("toban.postmortem.decided", 1, Decided.class);
    public static final EventType<Scheduled> SCHEDULED =
            EventType.of("toban.postmortem.scheduled", 1, Scheduled.class);
    public static final EventType<Rescheduled> RESCHEDULED =
            EventType.of("toban.postmortem.rescheduled", 1, Rescheduled.class);
    public static final EventType<Cancelled> CANCELLED =
            EventType.of("toban.postmortem.cancelled", 1, Cancelled.class);
    public static final EventType<Held> HELD = EventType.of("toban.postmortem.held", 1, Held.class);
    public static final EventType<Published> PUBLISHED =
            EventType.of("toban.postmortem.published", 1, Published.class);
    public static final EventType<Skipped> SKIPPED = EventType.of("toban.postmortem.skipped", 1, Skipped.class);
    public static final EventType<Reopened> REOPENED = EventType.of("toban.postmortem.reopened", 1, Reopened.class);
    public static final EventType<DecisionOverdue> DECISION_OVERDUE =
            EventType.of("toban.postmortem.decision_overdue", 1, DecisionOverdue.class);
    public static final EventType<ActionItemCreated> ACTION_ITEM_CREATED =
            EventType.of("toban.postmortem.action_item.created", 1, ActionItemCreated.class);
    public static final EventType<ActionItemUpdated> ACTION_ITEM_UPDATED =
            EventType.of("toban.postmortem.action_item.updated", 1, ActionItemUpdated.class);
    public static final EventType<ActionItemOverdue> ACTION_ITEM_OVERDUE =
            EventType.of("toban.postmortem.action_item.overdue", 1, ActionItemOverdue.class);
    public static final EventType<ActionItemExported> ACTION_ITEM_EXPORTED =
            EventType.of("toban.postmortem.action_item.exported", 1, ActionItemExported.class);

    public static final List<EventType<?>> ALL = List.of(OPENED, DECIDED, SCHEDULED, RESCHEDULED, CANCELLED, HELD,
            PUBLISHED, SKIPPED, REOPENED, DECISION_OVERDUE, ACTION_ITEM_CREATED, ACTION_ITEM_UPDATED,
            ACTION_ITEM_OVERDUE, ACTION_ITEM_EXPORTED);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Opened(PostmortemSnapshot postmortem, Actor actor) implements PostmortemEventData {
    }

    /** {@code decision} hold or skip; {@code reason} the skip reason, or an optional note for hold. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Decided(PostmortemSnapshot postmortem, Actor actor, String decision, String reason)
            implements PostmortemEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Scheduled(PostmortemSnapshot postmortem, Actor actor, PostmortemSnapshot.Meeting meeting)
            implements PostmortemEventData {
    }

    /** {@code previous} is the meeting before the change. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rescheduled(PostmortemSnapshot postmortem, Actor actor, PostmortemSnapshot.Meeting meeting,
                              PostmortemSnapshot.Meeting previous) implements PostmortemEventData {
    }

    /** {@code meeting} has {@code status: cancelled}. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cancelled(PostmortemSnapshot postmortem, Actor actor, PostmortemSnapshot.Meeting meeting,
                            String reason) implements PostmortemEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Held(PostmortemSnapshot postmortem, Actor actor) implements PostmortemEventData {
    }

    /** {@code markdownUrl}: the document's Markdown for people signed in to the pages. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Published(PostmortemSnapshot postmortem, Actor actor, String markdownUrl)
            implements PostmortemEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Skipped(PostmortemSnapshot postmortem, Actor actor, String reason) implements PostmortemEventData {
    }

    /** The incident reopened: its {@code reason}, and the postmortem's state before ({@code previousState}). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reopened(PostmortemSnapshot postmortem, Actor actor, String reason, String previousState)
            implements PostmortemEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DecisionOverdue(PostmortemSnapshot postmortem, Actor actor, Instant decisionDueAt)
            implements PostmortemEventData {
    }

    /** {@code status} open, in_progress, done or wont_do; {@code dueDate} a date in the team's zone. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActionItem(UUID id, UUID postmortemId, String title, PersonRef owner, TeamRef team,
                             LocalDate dueDate, String status, String externalUrl) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActionItemCreated(PostmortemSnapshot postmortem, Actor actor, ActionItem actionItem)
            implements PostmortemEventData {
    }

    /** {@code changes}: the names of the fields that changed. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActionItemUpdated(PostmortemSnapshot postmortem, Actor actor, ActionItem actionItem,
                                    List<String> changes) implements PostmortemEventData {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActionItemOverdue(PostmortemSnapshot postmortem, Actor actor, ActionItem actionItem,
                                    long daysOverdue) implements PostmortemEventData {
    }

    /** {@code externalUrl} the https link (null when the tracker named none); {@code kind} github or jira. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActionItemExported(PostmortemSnapshot postmortem, Actor actor, ActionItem actionItem,
                                     String externalUrl, String kind) implements PostmortemEventData {
    }
}
