package dev.toban.contracts.incident;

import dev.toban.contracts.Actor;

/** What every toban.incident.* event about an incident carries (all but {@code change_received}). */
public interface IncidentEventData {

    IncidentSnapshot incident();

    Actor actor();
}
