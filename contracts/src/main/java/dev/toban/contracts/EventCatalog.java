package dev.toban.contracts;

import dev.toban.contracts.incident.IncidentContracts;
import dev.toban.contracts.notify.NotifyContracts;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.contracts.postmortem.PostmortemContracts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every event type the services publish, by name: what docs/events.md documents, no more and no less. */
public final class EventCatalog {

    private EventCatalog() {
    }

    public static final List<EventType<?>> ALL;
    private static final Map<String, EventType<?>> BY_NAME = new LinkedHashMap<>();

    static {
        List<EventType<?>> all = new ArrayList<>();
        all.addAll(OnCallContracts.ALL);
        all.addAll(IncidentContracts.ALL);
        all.addAll(NotifyContracts.ALL);
        all.addAll(PostmortemContracts.ALL);
        ALL = List.copyOf(all);
        for (EventType<?> type : ALL) {
            if (BY_NAME.put(type.name(), type) != null) {
                throw new IllegalStateException("two contracts for " + type.name());
            }
        }
    }

    /** The contract of {@code name} (the CloudEvents type), if it is one of Toban's. */
    public static Optional<EventType<?>> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
