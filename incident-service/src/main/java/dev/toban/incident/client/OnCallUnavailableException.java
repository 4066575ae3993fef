package dev.toban.incident.client;

/** oncall-service could not answer (down, 5xx, timeout) and no cached answer exists. */
public class OnCallUnavailableException extends RuntimeException {
    public OnCallUnavailableException(String message) {
        super(message);
    }

    public OnCallUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
