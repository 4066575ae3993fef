package dev.toban.notify.service.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature v0: {@code v0=} + hex HMAC-SHA256 of {@code v0:<timestamp>:<raw body>} with
 * the signing secret. A private copy for the sandbox until plumbing's {@code dev.toban.plumbing.slack.SlackSignature}
 * (CONTRACT-17, moved there from incident-service) is on this branch; then this class goes.
 */
final class SandboxSignature {

    private SandboxSignature() {
    }

    static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
