package dev.toban.incident.client;

/** postmortem-service could not answer (down, 5xx, a timeout, the circuit open). */
public class PostmortemUnavailableException extends RuntimeException {
    public PostmortemUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
