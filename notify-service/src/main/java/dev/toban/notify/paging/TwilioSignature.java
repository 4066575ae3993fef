package dev.toban.notify.paging;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature: {@code X-Twilio-Signature = base64(HMAC-SHA1(auth token, url + each POST
 * parameter's name and value, sorted by name))}, the url being the full public URL Twilio called. A name
 * given twice counts each distinct value once, in order (twilio-python's behaviour).
 */
public final class TwilioSignature {

    private TwilioSignature() {
    }

    /** The signature of a request to {@code url} with these form parameters (name, value pairs in any order). */
    public static String sign(String authToken, String url, List<Map.Entry<String, String>> params) {
        StringBuilder data = new StringBuilder(url);
        // as Twilio's own libraries do: names sorted, a repeated name's distinct values sorted
        params.stream().map(e -> Map.entry(e.getKey(), e.getValue())).distinct()
                .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                .forEach(e -> data.append(e.getKey()).append(e.getValue()));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    /** Whether {@code header} is the signature of this request; constant time. */
    public static boolean valid(String authToken, String url, List<Map.Entry<String, String>> params, String header) {
        if (authToken == null || header == null || header.isBlank()) {
            return false;
        }
        byte[] expected = sign(authToken, url, params).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
