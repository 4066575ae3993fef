package dev.toban.postmortem.meeting;

import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import java.time.Instant;
import java.util.List;

/** A meeting cannot be marked held before it starts: 409 naming {@code meeting.start}. */
public class MeetingNotStartedException extends ProblemException {

    private final Instant start;

    public MeetingNotStartedException(Instant start) {
        super(409, "Conflict", "The meeting has not started yet: it starts at " + start
                + "; mark it held once it has taken place", List.of(new Problem.FieldError("meeting.start",
                "is " + start + ", in the future: the meeting can be marked held once it has started")));
        this.start = start;
    }

    /** When the meeting starts. */
    public Instant start() {
        return start;
    }
}
