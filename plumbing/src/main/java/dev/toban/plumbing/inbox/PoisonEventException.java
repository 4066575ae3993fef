package dev.toban.plumbing.inbox;

/** Thrown by a consumer for an event it can never process; the message goes to the dead-letter queue at once. */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
