package dev.toban.plumbing.web;

import dev.toban.plumbing.security.RandomTokens;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A one-time value carried from a POST to the page its redirect shows (post/redirect/get), for what must be
 * shown once and never put in a URL: a new integration key, a new calendar link. It travels in a short-lived cookie
 * ({@code HttpOnly}, {@code SameSite=Strict}, only on {@code path}), sealed with AES-GCM under a key derived
 * from the pages' client secret (the same on every replica) and bound to the user and the name; the page
 * that shows it deletes it, so a reload shows it no more.
 */
@ApplicationScoped
public class Flash {

    static final String PREFIX = "toban_flash_";
    /** Long enough to follow the redirect, short enough not to linger when it is not followed. */
    static final int MAX_AGE_SECONDS = 120;

    private final SecretKeySpec key;

    public Flash(@ConfigProperty(name = "quarkus.oidc.web.credentials.secret", defaultValue = "") String secret) {
        byte[] material;
        if (secret == null || secret.isBlank()) {
            material = RandomTokens.bytes(32); // no shared secret (a test without one): a key of this process only
        } else {
            material = sha256(("toban-flash\u0000" + secret).getBytes(StandardCharsets.UTF_8));
        }
        this.key = new SecretKeySpec(material, "AES");
    }

    /** Sets the one-time value {@code name} for {@code user}, readable by pages under {@code path}. */
    public void put(RoutingContext routing, String path, String name, String user, String value) {
        byte[] iv = RandomTokens.bytes(12);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(name, user));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            String sealedValue = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
            routing.response().addCookie(cookie(routing, name, sealedValue, path).setMaxAge(MAX_AGE_SECONDS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a flash value", e);
        }
    }

    /** The value the last POST set for {@code user}, once: the cookie is deleted whatever it held. */
    public Optional<String> take(RoutingContext routing, String path, String name, String user) {
        Cookie cookie = routing.request().getCookie(PREFIX + name);
        if (cookie == null) {
            return Optional.empty();
        }
        routing.response().addCookie(cookie(routing, name, "", path).setMaxAge(0));
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cookie.getValue());
            if (raw.length < 12 + 16) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 0, 12));
            cipher.updateAAD(aad(name, user));
            return Optional.of(new String(cipher.doFinal(raw, 12, raw.length - 12), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty(); // tampered, another user's, or sealed by another key: show nothing
        }
    }

    private static Cookie cookie(RoutingContext routing, String name, String value, String path) {
        boolean https = routing.request().isSSL()
                || "https".equalsIgnoreCase(routing.request().getHeader("X-Forwarded-Proto"));
        return Cookie.cookie(PREFIX + name, value).setPath(path).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(https);
    }

    private static byte[] aad(String name, String user) {
        return (name + "\u0000" + (user == null ? "" : user.toLowerCase(Locale.ROOT))).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
