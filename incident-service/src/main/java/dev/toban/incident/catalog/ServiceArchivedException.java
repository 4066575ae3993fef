package dev.toban.incident.catalog;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.util.List;
import java.util.UUID;

/**
 * An incident was about to open on an archived service. As a request's answer: 400 naming
 * {@code serviceId}; ingestion turns it into its "invalid key" answer (the key is as good as revoked).
 */
public class ServiceArchivedException extends ProblemException {

    public ServiceArchivedException(UUID serviceId, String name) {
        super(400, "Invalid request", "serviceId: " + name + " (" + serviceId + ") is archived",
                List.of(new Problem.FieldError("serviceId",
                        "is archived (" + name + "); an admin may unarchive it")));
    }
}
