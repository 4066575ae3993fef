package dev.toban.notify.paging;

import dev.toban.notify.dispatch.channel.SendResult;
import dev.toban.plumbing.egress.EgressClient;
import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.egress.EgressRequest;
import dev.toban.plumbing.egress.EgressResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.function.Function;

/** One provider call through the egress policy, its answer turned into a {@link SendResult}. */
final class HttpOutcome {

    private HttpOutcome() {
    }

    /**
     * @param what     the provider's name for the log (Twilio, ntfy, the SMS gateway)
     * @param onSuccess the result of a 2xx answer (the provider's message id)
     */
    static SendResult send(EgressClient egress, EgressRequest request, String what,
                           Function<EgressResponse, SendResult> onSuccess) {
        try {
            EgressResponse response = egress.send(request);
            int status = response.status();
            if (status >= 200 && status < 300) {
                return onSuccess.apply(response);
            }
            String detail = what + " HTTP " + status + brief(response.text());
            if (status == 429) {
                return SendResult.rateLimited(retryAfter(response.header("Retry-After")), detail);
            }
            if (status >= 500 || status == 408) {
                return SendResult.retry(detail);
            }
            return SendResult.failed(detail);
        } catch (EgressRefusedException e) {
            return SendResult.failed(e.getMessage() + " (" + what + ")"); // retrying never helps
        } catch (ConnectException e) {
            return SendResult.retry(what + " unreachable: " + e.getMessage());
        } catch (IOException e) {
            return SendResult.retryUnknown(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip();
        return ": " + (b.length() <= 300 ? b : b.substring(0, 300) + "…");
    }

    private static Duration retryAfter(String header) {
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(header.strip())));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(5);
        }
    }
}
