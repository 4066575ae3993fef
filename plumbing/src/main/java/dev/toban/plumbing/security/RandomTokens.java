package dev.toban.plumbing.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Toban's one source of secret randomness (tokens, keys, nonces). The generator lives in a holder that a native
 * image initialises at run time (plumbing's native-image.properties): a {@link SecureRandom} seeded while the image
 * is built would hand every process the same sequence, and GraalVM refuses one in the image heap.
 */
public final class RandomTokens {

    private RandomTokens() {
    }

    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /** {@code n} random bytes. */
    public static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        Holder.RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code n} random bytes, base64url without padding. */
    public static String urlSafe(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n));
    }

    /** {@code n} random bytes, lower-case hex. */
    public static String hex(int n) {
        return HexFormat.of().formatHex(bytes(n));
    }

    /** {@code length} characters drawn uniformly from {@code alphabet}. */
    public static String of(String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(Holder.RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** A uniform int in {@code [0, bound)}. */
    public static int nextInt(int bound) {
        return Holder.RANDOM.nextInt(bound);
    }
}
