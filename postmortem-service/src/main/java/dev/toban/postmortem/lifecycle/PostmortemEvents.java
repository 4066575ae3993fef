package dev.toban.postmortem.lifecycle;

import dev.toban.contracts.Actor;
import dev.toban.contracts.EventType;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItem;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemCreated;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemExported;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemOverdue;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemUpdated;
import dev.toban.contracts.postmortem.PostmortemContracts.Cancelled;
import dev.toban.contracts.postmortem.PostmortemContracts.Decided;
import dev.toban.contracts.postmortem.PostmortemContracts.DecisionOverdue;
import dev.toban.contracts.postmortem.PostmortemContracts.Held;
import dev.toban.contracts.postmortem.PostmortemContracts.Opened;
import dev.toban.contracts.postmortem.PostmortemContracts.Published;
import dev.toban.contracts.postmortem.PostmortemContracts.Reopened;
import dev.toban.contracts.postmortem.PostmortemContracts.Rescheduled;
import dev.toban.contracts.postmortem.PostmortemContracts.Scheduled;
import dev.toban.contracts.postmortem.PostmortemContracts.Skipped;
import dev.toban.contracts.postmortem.PostmortemContracts;
import dev.toban.contracts.postmortem.PostmortemEventData;
import dev.toban.contracts.postmortem.PostmortemSnapshot;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.WireEnum;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiFunction;

/**
 * Publishes {@code toban.postmortem.*} through the outbox, in the caller's transaction. Every
 * event's data has {@code postmortem} (a PostmortemSnapshot) and {@code actor} (docs/events.md).
 */
@ApplicationScoped
public class PostmortemEvents {

    // the types, as the contracts module defines them (docs/events.md); here so callers read PostmortemEvents.X
    public static final EventType<Opened> OPENED = PostmortemContracts.OPENED;
    public static final EventType<Decided> DECIDED = PostmortemContracts.DECIDED;
    public static final EventType<Scheduled> SCHEDULED = PostmortemContracts.SCHEDULED;
    public static final EventType<Rescheduled> RESCHEDULED = PostmortemContracts.RESCHEDULED;
    public static final EventType<Cancelled> CANCELLED = PostmortemContracts.CANCELLED;
    public static final EventType<Held> HELD = PostmortemContracts.HELD;
    public static final EventType<Published> PUBLISHED = PostmortemContracts.PUBLISHED;
    public static final EventType<Skipped> SKIPPED = PostmortemContracts.SKIPPED;
    public static final EventType<Reopened> REOPENED = PostmortemContracts.REOPENED;
    public static final EventType<DecisionOverdue> DECISION_OVERDUE = PostmortemContracts.DECISION_OVERDUE;
    public static final EventType<ActionItemCreated> ACTION_ITEM_CREATED = PostmortemContracts.ACTION_ITEM_CREATED;
    public static final EventType<ActionItemUpdated> ACTION_ITEM_UPDATED = PostmortemContracts.ACTION_ITEM_UPDATED;
    public static final EventType<ActionItemOverdue> ACTION_ITEM_OVERDUE = PostmortemContracts.ACTION_ITEM_OVERDUE;
    public static final EventType<ActionItemExported> ACTION_ITEM_EXPORTED = PostmortemContracts.ACTION_ITEM_EXPORTED;

    private final Outbox outbox;
    private final Snapshots snapshots;

    public PostmortemEvents(Outbox outbox, Snapshots snapshots) {
        this.outbox = outbox;
        this.snapshots = snapshots;
    }

    /** Publishes {@code type}: {@code data} builds its record from the postmortem as it is now and the actor. */
    public <T extends PostmortemEventData> void publish(EventType<T> type, Postmortem p, Actor actor,
                                                       BiFunction<PostmortemSnapshot, Actor, T> data) {
        publish(type, p, snapshots.of(p), actor, data);
    }

    /** Same, with a snapshot the caller already built (for example with a meeting just cancelled). */
    public <T extends PostmortemEventData> void publish(EventType<T> type, Postmortem p, Views.PostmortemSnapshot view,
                                                       Actor actor, BiFunction<PostmortemSnapshot, Actor, T> data) {
        outbox.publish(type, p.id.toString(), data.apply(snapshot(view), actor == null ? Actor.SYSTEM : actor));
    }

    /** The API's snapshot as the event contract's: enums as their wire names. */
    static PostmortemSnapshot snapshot(Views.PostmortemSnapshot v) {
        return new PostmortemSnapshot(v.id(), v.incidentId(), v.incidentNumber(), v.title(), v.severity(),
                wire(v.state()), v.required(), v.decisionDueAt(), wire(v.decision()), v.skipReason(), meeting(v.meeting()),
                v.owningTeam(), v.slackThread() == null ? null
                        : new PostmortemSnapshot.SlackThread(v.slackThread().channel(), v.slackThread().ts()),
                v.url(), v.incidentTitle(), v.incidentState(), v.incidentReopened(), v.incidentUrl(), v.commander(),
                v.timeZone(), v.decidedBy(), v.decidedAt(), v.heldAt(), v.publishedAt(), v.createdAt(), v.updatedAt(),
                v.version());
    }

    /** A meeting as the event contract's. */
    public static PostmortemSnapshot.Meeting meeting(Views.MeetingView m) {
        return m == null ? null : new PostmortemSnapshot.Meeting(m.id(), m.start(), m.end(), m.timeZone(), m.uid(),
                m.sequence(), m.attendees() == null ? null : m.attendees().stream().map(PostmortemEvents::attendee).toList(),
                m.location(), wire(m.status()), attendee(m.organizer()));
    }

    /** An action item as the event contract's. */
    public static ActionItem actionItem(Views.ActionItemRef a) {
        return new ActionItem(a.id(), a.postmortemId(), a.title(), a.owner(), a.team(), a.dueDate(), wire(a.status()),
                a.externalUrl());
    }

    private static PostmortemSnapshot.Attendee attendee(Views.Attendee a) {
        return a == null ? null : new PostmortemSnapshot.Attendee(a.name(), a.email());
    }

    private static String wire(WireEnum value) {
        return value == null ? null : value.wire();
    }
}
