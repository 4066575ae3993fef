package dev.toban.incident.client;

/** postmortem-service answered with a 4xx (not allowed, a conflict, bad input): retrying would not help. */
public class PostmortemRejectedException extends RuntimeException {

    private final int status;

    public PostmortemRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
