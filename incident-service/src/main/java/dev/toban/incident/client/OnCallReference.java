package dev.toban.incident.client;

import java.time.Instant;
import java.util.UUID;

/**
 * What incident-service reads of a team or an escalation policy of oncall-service to accept it as a
 * reference: that it exists and whether it is archived ({@code archivedAt}, null while active; fields
 * it does not know are ignored, so an oncall-service without archiving reads as active).
 */
public record OnCallReference(UUID id, String name, Instant archivedAt) {

    public boolean archived() {
        return archivedAt != null;
    }
}
