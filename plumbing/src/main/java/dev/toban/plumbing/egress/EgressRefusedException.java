package dev.toban.plumbing.egress;

import java.io.IOException;
import java.util.Optional;

/**
 * The egress policy will not let Toban call this destination. An {@link IOException}, so HTTP stacks
 * that vet at connect time (OkHttp through {@link EgressPolicy#socketFactory()}) pass it on unchanged;
 * catch it before {@code IOException}: retrying never helps.
 */
public class EgressRefusedException extends IOException {

    /** What people who may not see the details are told. */
    public static final String SUMMARY = "refused by egress policy";

    private final String reason;

    public EgressRefusedException(String reason) {
        super(SUMMARY + ": " + reason);
        this.reason = reason;
    }

    /** Why, for admins and logs: the host and the address class, e.g. {@code loopback address 127.0.0.1}. */
    public String reason() {
        return reason;
    }

    /** The refusal behind {@code t} (itself, a cause or a suppressed exception), if there is one. */
    public static Optional<EgressRefusedException> in(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof EgressRefusedException refused) {
                return Optional.of(refused);
            }
            for (Throwable s : e.getSuppressed()) {
                if (s instanceof EgressRefusedException refused) {
                    return Optional.of(refused);
                }
            }
        }
        return Optional.empty();
    }
}
