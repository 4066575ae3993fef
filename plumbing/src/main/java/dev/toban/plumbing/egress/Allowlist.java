package dev.toban.plumbing.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The parsed {@code toban.egress.allow}: CIDR blocks, addresses and host names, each with an optional port. */
final class Allowlist {

    /** One entry: a host name, or a network (an address is a network of its full length); {@code port} 0 = any. */
    private record Rule(String name, byte[] network, int prefix, int port) {

        boolean matches(String host, int p) {
            return name != null && name.equals(host) && (port == 0 || port == p);
        }

        boolean matches(InetAddress address, int p) {
            if (network == null || (port != 0 && port != p)) {
                return false;
            }
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Rule> rules;

    Allowlist(List<String> entries) {
        List<Rule> parsed = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
            if (!entry.isEmpty()) {
                parsed.add(parse(entry));
            }
        }
        this.rules = List.copyOf(parsed);
    }

    boolean allowsName(String host, int port) {
        String name = normalise(host);
        return rules.stream().anyMatch(r -> r.matches(name, port));
    }

    boolean allowsAddress(InetAddress address, int port) {
        return rules.stream().anyMatch(r -> r.matches(address, port));
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Rule parse(String entry) {
        int slash = entry.indexOf('/');
        if (slash >= 0) {
            byte[] network = literal(entry.substring(0, slash), entry);
            int prefix;
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw bad(entry);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw bad(entry);
            }
            return new Rule(null, network, prefix, 0);
        }
        String host = entry;
        int port = 0;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw bad(entry);
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(entry);
                }
                port = port(rest.substring(1), entry);
            }
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') >= 0) {
            host = entry.substring(0, entry.indexOf(':'));
            port = port(entry.substring(entry.indexOf(':') + 1), entry);
        }
        if (host.contains(":") || EgressPolicy.numericIpv4(host)) {
            byte[] network = literal(host, entry);
            return new Rule(null, network, network.length * 8, port);
        }
        if (!host.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?")) {
            throw bad(entry);
        }
        return new Rule(normalise(host), null, 0, port);
    }

    /** An address written as a literal: a canonical dotted quad or an IPv6 address, never a name to look up. */
    private static byte[] literal(String text, String entry) {
        if (text.contains(":")) {
            try {
                return InetAddress.getByName("[" + text + "]").getAddress();
            } catch (UnknownHostException | RuntimeException e) {
                throw bad(entry);
            }
        }
        byte[] v4 = EgressPolicy.canonicalIpv4(text);
        if (v4 == null) {
            throw bad(entry);
        }
        return v4;
    }

    private static int port(String text, String entry) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw bad(entry);
            }
            return port;
        } catch (NumberFormatException e) {
            throw bad(entry);
        }
    }

    private static IllegalArgumentException bad(String entry) {
        return new IllegalArgumentException("toban.egress.allow: '" + entry
                + "' is not a CIDR block (10.20.0.0/16), an address with an optional port (127.0.0.1:8099, [::1]:8443)"
                + " or a host name with an optional port (hooks.internal:8443)");
    }
}
