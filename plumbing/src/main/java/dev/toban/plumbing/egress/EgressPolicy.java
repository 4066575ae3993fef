package dev.toban.plumbing.egress;

import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * The one rule for where Toban's outbound calls may go. A destination is refused when it is a
 * loopback, private (RFC 1918), CGNAT, link-local, ULA, multicast, unspecified, broadcast or other
 * special-purpose address ({@link SpecialAddresses}), or an IPv4 address spelled unusually
 * ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}), unless {@code toban.egress.allow} names it.
 *
 * <p>The check is made on the address actually connected to: {@link #vet} resolves a host once and
 * vets every address it resolves to, and the caller connects to {@link Target#address()} (so a DNS
 * answer that changes between the check and the connection does not pass); {@link #socketFactory()}
 * checks each connection of a blocking client as it is opened.
 *
 * <p>Built at start-up, so an allowlist entry it cannot read stops the service with a message naming it.
 */
@Singleton
@Startup
public class EgressPolicy {

    /** Host name lookup; the system resolver outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A vetted destination.
     *
     * @param host    the host as written in the URL, without brackets: the Host header and the TLS name
     * @param address the vetted address to connect to
     */
    public record Target(URI uri, boolean tls, String host, int port, InetAddress address) {

        /** Path and query as the request line carries them. */
        public String requestUri() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
    }

    private final Allowlist allowlist;
    private final Resolver resolver;

    @Inject
    public EgressPolicy(EgressConfig config) {
        this(config.allow().orElse(List.of()), InetAddress::getAllByName);
    }

    public EgressPolicy(List<String> allow, Resolver resolver) {
        this.allowlist = new Allowlist(allow);
        this.resolver = resolver;
    }

    /** A policy with the system resolver, for tests and tools. */
    public static EgressPolicy allowing(String... allow) {
        return new EgressPolicy(List.of(allow), InetAddress::getAllByName);
    }

    /**
     * Resolves {@code uri}'s host once and vets every address; the first is the one to connect to.
     *
     * @throws EgressRefusedException when the URL or any address it resolves to is refused
     * @throws UnknownHostException   when the name does not resolve (a transient failure, not a refusal)
     */
    public Target vet(URI uri) throws EgressRefusedException, UnknownHostException {
        Parsed p = parse(uri);
        if (p.literal() != null) {
            check(p.host(), p.literal(), p.port());
            return new Target(uri, p.tls(), p.host(), p.port(), p.literal());
        }
        InetAddress[] addresses = resolver.resolve(p.host());
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(p.host());
        }
        if (!allowlist.allowsName(p.host(), p.port())) {
            for (InetAddress a : addresses) {
                String why = refusal(a, p.port());
                if (why != null) {
                    throw new EgressRefusedException(p.host() + " resolves to " + why);
                }
            }
        }
        return new Target(uri, p.tls(), p.host(), p.port(), addresses[0]);
    }

    /**
     * What can be told without a lookup: a URL that is not http(s), or whose host is a refused address
     * or an unusual IPv4 spelling. Empty when the URL may be fine (a host name is only judged when
     * called). For checking settings as they are saved, where a lookup has no place.
     */
    public Optional<String> refusalWithoutLookup(URI uri) {
        try {
            Parsed p = parse(uri);
            if (p.literal() != null) {
                check(p.host(), p.literal(), p.port());
            }
            return Optional.empty();
        } catch (EgressRefusedException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The check made as a connection opens: {@code host} is the name the connection is for (or the
     * address itself), {@code address} and {@code port} what is connected to.
     */
    public void checkConnect(String host, InetAddress address, int port) throws EgressRefusedException {
        if (host != null && !host.isEmpty() && !host.contains(":") && !numericIpv4(host)
                && allowlist.allowsName(host, port)) {
            return;
        }
        check(host, address, port);
    }

    /** Sockets that apply {@link #checkConnect} to every connection (for blocking clients such as OkHttp). */
    public SocketFactory socketFactory() {
        return new EgressSocketFactory(this);
    }

    private void check(String host, InetAddress address, int port) throws EgressRefusedException {
        String why = refusal(address, port);
        if (why != null) {
            String literal = address.getHostAddress();
            throw new EgressRefusedException(host == null || host.equals(literal) || host.contains(":")
                    ? why : host + " is " + why);
        }
    }

    private String refusal(InetAddress address, int port) {
        return allowlist.allowsAddress(address, port) ? null : SpecialAddresses.refusal(address);
    }

    private record Parsed(boolean tls, String host, int port, InetAddress literal) {
    }

    private static Parsed parse(URI uri) throws EgressRefusedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new EgressRefusedException("only http and https URLs are called");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new EgressRefusedException("the URL has no valid host name");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        if (host.startsWith("[")) {
            String bare = host.substring(1, host.length() - 1);
            try {
                // bracketed: always a literal, never looked up
                return new Parsed(tls, bare, port, InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                throw new EgressRefusedException("the URL has no valid host name");
            }
        }
        if (numericIpv4(host)) {
            byte[] v4 = canonicalIpv4(host);
            if (v4 == null) {
                throw new EgressRefusedException("'" + host + "' is an unusual spelling of an IPv4 address"
                        + " (decimal, octal or hexadecimal); write it as a dotted quad");
            }
            try {
                return new Parsed(tls, host, port, InetAddress.getByAddress(v4));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Parsed(tls, Allowlist.normalise(host), port, null);
    }

    /**
     * True when every label of {@code host} is a number (decimal, octal or {@code 0x} hexadecimal):
     * what C resolvers read as an IPv4 address ({@code inet_aton}) although no real name looks like that.
     */
    static boolean numericIpv4(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty()) {
            return false;
        }
        for (String label : h.split("\\.", -1)) {
            if (!label.matches("[0-9]+|0[xX][0-9a-fA-F]*")) {
                return false;
            }
        }
        return true;
    }

    /** The four bytes of a canonical dotted quad ({@code 192.0.2.1}: decimal, no leading zeros); null otherwise. */
    static byte[] canonicalIpv4(String host) {
        String[] labels = host.split("\\.", -1);
        if (labels.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String label = labels[i];
            if (!label.matches("0|[1-9][0-9]{0,2}")) {
                return null;
            }
            int value = Integer.parseInt(label);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }
}
