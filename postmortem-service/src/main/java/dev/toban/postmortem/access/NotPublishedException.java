package dev.toban.postmortem.access;

import dev.toban.plumbing.problem.ProblemException;
import java.util.List;
import java.util.UUID;

/**
 * A viewer asked for a postmortem that is not published yet. The API answers as if it did not exist (404,
 * as it always has); the pages say it is not published yet, in the page language.
 */
public class NotPublishedException extends ProblemException {

    public NotPublishedException(UUID id) {
        super(404, "Not found", "Postmortem " + id + " does not exist", List.of());
    }
}
