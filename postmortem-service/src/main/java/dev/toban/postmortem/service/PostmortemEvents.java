package dev.toban.postmortem.service;

import dev.toban.plumbing.outbox.Outbox;
import dev.toban.postmortem.model.Postmortem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes {@code toban.postmortem.*} through the outbox, in the caller's transaction. Every
 * event's data has {@code postmortem} (a PostmortemSnapshot) and {@code actor} (docs/events.md).
 */
@ApplicationScoped
public class PostmortemEvents {

    public static final String OPENED = "toban.postmortem.opened";
    public static final String DECIDED = "toban.postmortem.decided";
    public static final String SCHEDULED = "toban.postmortem.scheduled";
    public static final String RESCHEDULED = "toban.postmortem.rescheduled";
    public static final String CANCELLED = "toban.postmortem.cancelled";
    public static final String HELD = "toban.postmortem.held";
    public static final String PUBLISHED = "toban.postmortem.published";
    public static final String SKIPPED = "toban.postmortem.skipped";
    public static final String REOPENED = "toban.postmortem.reopened";
    public static final String DECISION_OVERDUE = "toban.postmortem.decision_overdue";
    public static final String ACTION_ITEM_CREATED = "toban.postmortem.action_item.created";
    public static final String ACTION_ITEM_UPDATED = "toban.postmortem.action_item.updated";
    public static final String ACTION_ITEM_OVERDUE = "toban.postmortem.action_item.overdue";
    public static final String ACTION_ITEM_EXPORTED = "toban.postmortem.action_item.exported";

    private final Outbox outbox;
    private final Snapshots snapshots;

    public PostmortemEvents(Outbox outbox, Snapshots snapshots) {
        this.outbox = outbox;
        this.snapshots = snapshots;
    }

    public void publish(String type, Postmortem p, Actor actor) {
        publish(type, p, actor, Map.of());
    }

    /** {@code extra} adds the fields listed for the type in docs/events.md. */
    public void publish(String type, Postmortem p, Actor actor, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("postmortem", snapshots.of(p));
        data.put("actor", actor == null ? Actor.SYSTEM : actor);
        data.putAll(extra);
        outbox.publish(type, p.id.toString(), data);
    }

    /** Same, with a snapshot the caller already built (for example with a meeting just cancelled). */
    public void publish(String type, Postmortem p, Views.PostmortemSnapshot snapshot, Actor actor,
                        Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("postmortem", snapshot);
        data.put("actor", actor == null ? Actor.SYSTEM : actor);
        data.putAll(extra);
        outbox.publish(type, p.id.toString(), data);
    }

    /** An ordered map of extra fields that, unlike {@link Map#of}, allows null values. */
    public static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
