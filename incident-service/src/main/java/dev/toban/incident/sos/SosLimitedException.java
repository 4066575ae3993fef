package dev.toban.incident.sos;

import dev.toban.incident.rest.RetryLaterException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The reporter has raised as many SOS as the limit allows in the window: 429 with {@code Retry-After}. */
public class SosLimitedException extends RetryLaterException {

    private final int maxReports;
    private final Duration window;
    private final List<Long> incidentNumbers;

    public SosLimitedException(int maxReports, Duration window, long retryAfterSeconds, List<Long> incidentNumbers) {
        super(429, "Too many SOS reports", "You have raised " + maxReports + " SOS reports in the last "
                + window.toMinutes() + " minutes" + (incidentNumbers.isEmpty() ? "" : " (incidents "
                + incidentNumbers.stream().map(n -> "#" + n).collect(Collectors.joining(", ")) + ")")
                + "; the on-call engineer is on them. Add details to those incidents, or retry in "
                + Math.max(1, retryAfterSeconds) + " s", List.of(), retryAfterSeconds);
        this.maxReports = maxReports;
        this.window = window;
        this.incidentNumbers = List.copyOf(incidentNumbers);
    }

    /** The reporter's incidents counted in the window, oldest first. */
    public List<Long> incidentNumbers() {
        return incidentNumbers;
    }

    public int maxReports() {
        return maxReports;
    }

    public Duration window() {
        return window;
    }

    /** Whole minutes to wait, at least 1 (for people rather than clients). */
    public long retryAfterMinutes() {
        return Math.max(1, (retryAfterSeconds() + 59) / 60);
    }
}
