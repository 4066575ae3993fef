package dev.toban.plumbing.egress;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One outbound HTTP call.
 *
 * @param timeout          the whole call, connection included; null: {@code toban.egress.timeout}
 * @param maxResponseBytes how much of the answer is read back; 0: {@code toban.egress.max-response-bytes}
 */
public record EgressRequest(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout,
                            int maxResponseBytes) {

    public EgressRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static EgressRequest post(URI uri, String body) {
        return new EgressRequest("POST", uri, Map.of(), body.getBytes(StandardCharsets.UTF_8), null, 0);
    }

    public static EgressRequest get(URI uri) {
        return new EgressRequest("GET", uri, Map.of(), null, null, 0);
    }

    public EgressRequest header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new EgressRequest(method, uri, copy, body, timeout, maxResponseBytes);
    }

    public EgressRequest timeout(Duration value) {
        return new EgressRequest(method, uri, headers, body, value, maxResponseBytes);
    }

    public EgressRequest maxResponseBytes(int value) {
        return new EgressRequest(method, uri, headers, body, timeout, value);
    }
}
