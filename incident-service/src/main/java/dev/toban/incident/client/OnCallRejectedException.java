package dev.toban.incident.client;

/**
 * oncall-service answered with a 4xx (unknown policy, level out of range): retrying or falling back
 * would not help, and it says nothing about the service's health.
 */
public class OnCallRejectedException extends RuntimeException {

    private final int status;

    public OnCallRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
