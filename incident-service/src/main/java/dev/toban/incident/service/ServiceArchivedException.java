package dev.toban.incident.service;

import dev.toban.plumbing.problem.ProblemException;
import java.util.UUID;

/**
 * An incident was about to open on an archived service. As a request's answer: 400 naming
 * {@code serviceId}; ingestion turns it into its "invalid key" answer (the key is as good as revoked).
 */
public class ServiceArchivedException extends ProblemException {

    private final UUID serviceId;

    public ServiceArchivedException(UUID serviceId, String name) {
        super(400, "Invalid request", "serviceId: " + name + " is archived",
                java.util.List.of(new dev.toban.plumbing.problem.Problem.FieldError("serviceId",
                        "is archived (" + name + "); an admin may unarchive it")));
        this.serviceId = serviceId;
    }

    public UUID serviceId() {
        return serviceId;
    }
}
