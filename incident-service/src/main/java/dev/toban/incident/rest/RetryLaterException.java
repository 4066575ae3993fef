package dev.toban.incident.rest;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.util.List;

/** A problem the client may retry after a while: answered with {@code Retry-After} (rest/RetryLaterMapper). */
public class RetryLaterException extends ProblemException {

    private final long retryAfterSeconds;

    public RetryLaterException(int status, String title, String detail, List<Problem.FieldError> errors,
                               long retryAfterSeconds) {
        super(status, title, detail, errors);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
