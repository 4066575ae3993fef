package dev.toban.notify.paging;

import dev.toban.notify.dispatch.channel.NotificationChannel;
import dev.toban.notify.dispatch.channel.Outgoing;
import dev.toban.notify.dispatch.channel.SendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A channel sent through a configured, ordered list of providers: when one fails (an error, a refusal,
 * its own rate limit) the next is tried in the same attempt. Only when all fail does the attempt fail,
 * and then the dispatcher's backoff applies: no provider is ever called in a tight loop. The result
 * names the provider that took the message ({@code providerChannel}). Subclasses are {@code @Singleton}: a
 * normal-scoped bean would need a no-args constructor for its client proxy.
 */
abstract class FallbackChannel implements NotificationChannel {

    private static final Logger LOG = Logger.getLogger(FallbackChannel.class);
    /** Prefix of the error when every provider failed; the dispatcher moves the page on to the next method. */
    static final String ALL_FAILED = "every provider failed";

    private final List<Provider> order;
    private final List<String> configured;

    FallbackChannel(List<String> configured, List<Provider> available) {
        Map<String, Provider> byName = available.stream().collect(Collectors.toMap(Provider::name, p -> p));
        this.configured = configured;
        this.order = configured.stream().map(String::strip).map(byName::get).filter(p -> p != null && p.enabled())
                .toList();
        LOG.infof("%s providers: %s", name(), order.isEmpty() ? "none (deliveries are skipped)"
                : order.stream().map(Provider::name).collect(Collectors.joining(" -> ")));
    }

    @Override
    public boolean enabled() {
        return !order.isEmpty();
    }

    @Override
    public String disabledReason() {
        return name() + " has no provider configured (toban.notify.paging." + name() + "-providers=" + configured
                + "; see docs/operations.md)";
    }

    @Override
    public SendResult send(Outgoing outgoing) {
        List<String> errors = new ArrayList<>();
        boolean transientFailure = false;
        for (Provider p : order) {
            SendResult r = p.send(outgoing);
            if (r.status() == SendResult.Status.SENT) {
                return SendResult.sent(r.providerMessageId(), p.name(), null);
            }
            errors.add(p.name() + ": " + r.error());
            transientFailure |= r.status() != SendResult.Status.FAILED;
        }
        String error = ALL_FAILED + " (" + String.join("; ", errors) + ")";
        // the next provider was tried already; a later attempt may find one back
        return transientFailure ? SendResult.retry(error) : SendResult.failed(error);
    }
}
