package dev.toban.plumbing.egress;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to an outbound call.
 *
 * @param headers   lower-case names
 * @param body      at most the request's cap of bytes
 * @param truncated true when the answer was longer than the cap (the rest was not read)
 */
public record EgressResponse(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8 text (malformed bytes become U+FFFD). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }
}
