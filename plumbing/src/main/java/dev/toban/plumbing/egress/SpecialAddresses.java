package dev.toban.plumbing.egress;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Addresses that are not on the public internet (the IANA special-purpose registries): what an
 * outbound call must never reach unless allowlisted. IPv6 forms that carry an IPv4 address (mapped,
 * compatible, NAT64, 6to4) are judged by the IPv4 address inside.
 */
final class SpecialAddresses {

    private SpecialAddresses() {
    }

    /** Why {@code address} is refused, e.g. {@code loopback address 127.0.0.1}; null for a public address. */
    static String refusal(InetAddress address) {
        byte[] b = address.getAddress();
        String kind = address instanceof Inet4Address ? kind4(b, 0) : kind6(b);
        return kind == null ? null : kind + " " + address.getHostAddress();
    }

    private static String kind4(byte[] b, int o) {
        int a0 = b[o] & 0xff;
        int a1 = b[o + 1] & 0xff;
        int a2 = b[o + 2] & 0xff;
        if (a0 == 0) {
            return "unspecified address";
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return "private address (RFC 1918)";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "shared address (CGNAT 100.64.0.0/10)";
        }
        if (a0 == 127) {
            return "loopback address";
        }
        if (a0 == 169 && a1 == 254) {
            return "link-local address";
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return "IETF protocol address";
        }
        if ((a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return "documentation address";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "benchmarking address";
        }
        if (a0 >= 224 && a0 <= 239) {
            return "multicast address";
        }
        if (a0 >= 240) {
            return a0 == 255 && a1 == 255 && a2 == 255 && (b[o + 3] & 0xff) == 255 ? "broadcast address" : "reserved address";
        }
        return null;
    }

    private static String kind6(byte[] b) {
        if (zero(b, 0, 15)) {
            return b[15] == 0 ? "unspecified address" : b[15] == 1 ? "loopback address" : "IPv4-compatible address";
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded("IPv4-mapped", b, 12);
        }
        if (zero(b, 0, 12)) {
            return "IPv4-compatible address"; // deprecated (RFC 4291); nothing public uses it
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local use
            return zero(b, 4, 12) ? embedded("NAT64", b, 12) : "local-use NAT64 address";
        }
        if (w0 == 0x2002) {
            return embedded("6to4", b, 2);
        }
        if (w0 == 0x2001 && w1 == 0x0000) {
            return "Teredo address";
        }
        if (w0 == 0x2001 && w1 == 0x0db8) {
            return "documentation address";
        }
        if (w0 == 0x0100 && zero(b, 2, 8)) {
            return "discard-only address";
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return "link-local address";
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return "site-local address";
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return "unique local address (ULA fc00::/7)";
        }
        if ((w0 & 0xff00) == 0xff00) {
            return "multicast address";
        }
        return null;
    }

    private static String embedded(String form, byte[] b, int offset) {
        String inner = kind4(b, offset);
        return inner == null ? null : form + " " + inner + " (" + (b[offset] & 0xff) + "." + (b[offset + 1] & 0xff)
                + "." + (b[offset + 2] & 0xff) + "." + (b[offset + 3] & 0xff) + ")";
    }

    /** True when bytes {@code from} (inclusive) to {@code to} (exclusive) are all zero. */
    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
