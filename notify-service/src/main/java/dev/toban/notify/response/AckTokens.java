package dev.toban.notify.response;

import dev.toban.plumbing.web.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed tokens of acknowledgement links: {@code base64url(payload) "." base64url(HMAC-SHA256(secret, payload))},
 * the payload being a version byte, the delivery id and the expiry (epoch seconds). The token is the only
 * credential of the ack page (people answer a page from a lock screen, not signed in); single use is
 * enforced by {@link PageResponses}, not here.
 */
@ApplicationScoped
public class AckTokens {

    private static final byte VERSION = 1;
    private static final int PAYLOAD_LENGTH = 1 + 16 + 8;
    private static final int MAC_LENGTH = 32;
    /** Longer input is never a token of ours; refused before decoding. */
    private static final int MAX_TOKEN_LENGTH = 200;

    private final byte[] secret;
    private final java.time.Duration ttl;
    private final String base;
    private final Clock clock;

    @Inject
    public AckTokens(AckConfig config, WebConfig web) {
        this(config.secret().map(String::strip).filter(s -> !s.isEmpty()).orElse(null), config.ttl(),
                web.links().notifications(), Clock.systemUTC());
    }

    AckTokens(String secret, java.time.Duration ttl, String base, Clock clock) {
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        String b = base == null ? "" : base.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.base = b;
        this.clock = clock;
    }

    /** An ack link's token in a text (a stored message): {@code /ack/} and the two base64url parts. */
    private static final java.util.regex.Pattern IN_TEXT =
            java.util.regex.Pattern.compile("(/ack/)[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    /**
     * {@code text} with every ack link's token replaced by "…": the delivery log shows messages to responders and
     * admins, who must not answer a page as the person it was for.
     */
    public static String redact(String text) {
        return text == null ? null : IN_TEXT.matcher(text).replaceAll("$1…");
    }

    /** Whether links can be made (a secret is configured). */
    public boolean enabled() {
        return secret != null;
    }

    /** The absolute URL of the ack page for {@code deliveryId}, valid for the configured ttl from now. */
    public String link(UUID deliveryId) {
        return base + "/ack/" + token(deliveryId, clock.instant().plus(ttl));
    }

    /** A token for {@code deliveryId} expiring at {@code expires}. */
    public String token(UUID deliveryId, Instant expires) {
        if (secret == null) {
            throw new IllegalStateException("no ack secret (toban.notify.ack.secret, env TOBAN_ACK_SECRET)");
        }
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_LENGTH);
        payload.put(VERSION);
        payload.putLong(deliveryId.getMostSignificantBits());
        payload.putLong(deliveryId.getLeastSignificantBits());
        payload.putLong(expires.getEpochSecond());
        byte[] p = payload.array();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(p) + "." + b64.encodeToString(mac(p));
    }

    /** The delivery id if {@code token} is authentic and unexpired; empty for anything else. */
    public Optional<UUID> verify(String token) {
        if (secret == null || token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] mac;
        try {
            payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            mac = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (payload.length != PAYLOAD_LENGTH || mac.length != MAC_LENGTH
                || !MessageDigest.isEqual(mac(payload), mac)) { // constant time
            return Optional.empty();
        }
        // one spelling per link: the decoder ignores a last character's unused bits and accepts padding
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        if (!token.equals(b64.encodeToString(payload) + "." + b64.encodeToString(mac))) {
            return Optional.empty();
        }
        ByteBuffer p = ByteBuffer.wrap(payload);
        if (p.get() != VERSION) {
            return Optional.empty();
        }
        UUID id = new UUID(p.getLong(), p.getLong());
        long expires = p.getLong();
        if (clock.instant().getEpochSecond() >= expires) {
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return hmac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
