package dev.toban.plumbing.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {

    /** A resolver with fixed answers, counting lookups. */
    static final class Dns implements EgressPolicy.Resolver {
        final Map<String, List<String>> answers;
        final AtomicInteger lookups = new AtomicInteger();

        Dns(Map<String, List<String>> answers) {
            this.answers = answers;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.incrementAndGet();
            List<String> found = answers.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[found.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = InetAddress.getByAddress(host, InetAddress.getByName(found.get(i)).getAddress());
            }
            return out;
        }
    }

    static final Dns DNS = new Dns(Map.of(
            "hooks.example", List.of("93.184.215.14"),
            "localhost", List.of("127.0.0.1", "::1"),
            "mixed.example", List.of("93.184.215.14", "10.0.0.7"),
            "metadata.example", List.of("169.254.169.254"),
            "internal.example", List.of("10.1.2.3")));

    static EgressPolicy policy(String... allow) {
        return new EgressPolicy(List.of(allow), DNS);
    }

    static String refusal(EgressPolicy policy, String url) {
        EgressRefusedException e = assertThrows(EgressRefusedException.class, () -> policy.vet(URI.create(url)), url);
        assertTrue(e.getMessage().startsWith("refused by egress policy: "), e.getMessage());
        return e.reason();
    }

    @Test
    void publicAddressesAndNamesPass() throws Exception {
        EgressPolicy.Target t = policy().vet(URI.create("https://hooks.example/t?x=1"));
        assertEquals("hooks.example", t.host());
        assertEquals(443, t.port());
        assertTrue(t.tls());
        assertEquals("93.184.215.14", t.address().getHostAddress());
        assertEquals("/t?x=1", t.requestUri());
        assertEquals("8.8.8.8", policy().vet(URI.create("http://8.8.8.8:8080")).address().getHostAddress());
        assertEquals("/", policy().vet(URI.create("http://8.8.8.8")).requestUri());
        assertEquals("2001:4860:4860:0:0:0:0:8888",
                policy().vet(URI.create("http://[2001:4860:4860::8888]/")).address().getHostAddress());
    }

    @Test
    void internalAddressesAreRefusedHoweverTheyAreWritten() {
        EgressPolicy p = policy();
        assertEquals("loopback address 127.0.0.1", refusal(p, "http://127.0.0.1:8180/admin/"));
        assertEquals("loopback address 127.0.0.9", refusal(p, "http://127.0.0.9/"));
        assertEquals("loopback address 0:0:0:0:0:0:0:1", refusal(p, "http://[::1]:8180/"));
        assertTrue(refusal(p, "http://2130706433/").contains("unusual spelling"));
        assertTrue(refusal(p, "http://0177.0.0.1/").contains("unusual spelling"));
        assertTrue(refusal(p, "http://0x7f000001/").contains("unusual spelling"));
        assertTrue(refusal(p, "http://127.0.0.01/").contains("unusual spelling"));
        // java.net.URI does not take these as host names at all
        for (String url : List.of("http://0x7f.1/", "http://0x7f.0.0.1/", "http://127.1/", "http://127.0.0.1./")) {
            assertEquals("the URL has no valid host name", refusal(p, url));
        }
        assertEquals("private address (RFC 1918) 10.0.0.1", refusal(p, "http://10.0.0.1/"));
        assertEquals("private address (RFC 1918) 172.16.5.4", refusal(p, "http://172.16.5.4/"));
        assertEquals("private address (RFC 1918) 192.168.1.1", refusal(p, "https://192.168.1.1/"));
        assertEquals("shared address (CGNAT 100.64.0.0/10) 100.100.100.200", refusal(p, "http://100.100.100.200/"));
        assertEquals("link-local address 169.254.169.254", refusal(p, "http://169.254.169.254/latest/meta-data/"));
        assertEquals("unspecified address 0.0.0.0", refusal(p, "http://0.0.0.0:8083/"));
        assertEquals("broadcast address 255.255.255.255", refusal(p, "http://255.255.255.255/"));
        assertEquals("multicast address 239.1.2.3", refusal(p, "http://239.1.2.3/"));
        assertTrue(refusal(p, "http://[fd00::2]/").startsWith("unique local address"));
        assertTrue(refusal(p, "http://[fe80::1]/").startsWith("link-local address"));
        assertTrue(refusal(p, "http://[ff02::1]/").startsWith("multicast address"));
        assertTrue(refusal(p, "http://[::]/").startsWith("unspecified address"));
        // IPv6 forms carrying an IPv4 address are judged by it
        assertEquals("loopback address 127.0.0.1", refusal(p, "http://[::ffff:127.0.0.1]/"));
        assertEquals("link-local address 169.254.169.254", refusal(p, "http://[::ffff:a9fe:a9fe]/"));
        assertTrue(refusal(p, "http://[::127.0.0.1]/").startsWith("IPv4-compatible address"));
        assertTrue(refusal(p, "http://[64:ff9b::a00:1]/").startsWith("NAT64 private address"));
        assertTrue(refusal(p, "http://[2002:7f00:1::1]/").startsWith("6to4 loopback address"));
        // not a web URL at all
        assertTrue(refusal(p, "file:///etc/passwd").contains("only http and https"));
        assertTrue(refusal(p, "gopher://hooks.example/").contains("only http and https"));
        assertTrue(refusal(p, "http:///nohost").contains("no valid host"));
    }

    @Test
    void aNameIsRefusedWhenAnyAddressItResolvesToIs() {
        EgressPolicy p = policy();
        assertEquals("localhost resolves to loopback address 127.0.0.1", refusal(p, "http://localhost:8180/"));
        assertEquals("mixed.example resolves to private address (RFC 1918) 10.0.0.7", refusal(p, "http://mixed.example/"));
        assertEquals("metadata.example resolves to link-local address 169.254.169.254", refusal(p, "http://metadata.example/"));
        assertThrows(UnknownHostException.class, () -> p.vet(URI.create("http://nowhere.example/")),
                "a name that does not resolve is a transient failure, not a refusal");
    }

    @Test
    void theAllowlistLetsNamedDestinationsThroughAndNoOthers() throws Exception {
        EgressPolicy p = policy("127.0.0.1:8099", "10.20.0.0/16", "[::1]:8443", "internal.example", " Hooks.Internal:8443 ");
        assertEquals("127.0.0.1", p.vet(URI.create("http://127.0.0.1:8099/hook")).address().getHostAddress());
        assertEquals("loopback address 127.0.0.1", refusal(p, "http://127.0.0.1:8098/hook"));
        assertEquals("10.20.3.4", p.vet(URI.create("https://10.20.3.4/")).address().getHostAddress());
        assertEquals("private address (RFC 1918) 10.21.0.1", refusal(p, "https://10.21.0.1/"));
        p.vet(URI.create("https://[::1]:8443/"));
        assertTrue(refusal(p, "https://[::1]:8444/").startsWith("loopback"));
        assertEquals("10.1.2.3", p.vet(URI.create("https://internal.example/rest/api/2/issue")).address().getHostAddress());
        assertTrue(refusal(p, "http://2130706433:8099/").contains("unusual spelling"), "spellings are refused even then");
        assertEquals("localhost resolves to loopback address 0:0:0:0:0:0:0:1", refusal(p, "http://localhost:8099/"),
                "::1 is refused on that port, so localhost is too");
        assertEquals("127.0.0.1", policy("127.0.0.1:8099", "[::1]:8099").vet(URI.create("http://localhost:8099/"))
                .address().getHostAddress());

        assertThrows(IllegalArgumentException.class, () -> policy("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> policy("hooks_internal"));
        assertThrows(IllegalArgumentException.class, () -> policy("127.0.0.1:0"));
        assertThrows(IllegalArgumentException.class, () -> policy("0x7f.1"));
        assertThrows(IllegalArgumentException.class, () -> policy("[::1"));
    }

    @Test
    void aNameIsLookedUpOnceAndTheConnectionGoesToTheVettedAddress() throws Exception {
        int before = DNS.lookups.get();
        EgressPolicy.Target t = policy().vet(URI.create("http://hooks.example/"));
        assertEquals(1, DNS.lookups.get() - before);
        assertEquals(InetAddress.getByName("93.184.215.14"), InetAddress.getByAddress(t.address().getAddress()));
    }

    @Test
    void withoutALookupLiteralsAndSpellingsAreJudgedAndNamesAreLeftForLater() {
        EgressPolicy p = policy("127.0.0.1:8099");
        assertTrue(p.refusalWithoutLookup(URI.create("http://127.0.0.1:8180/")).orElseThrow().contains("loopback"));
        assertTrue(p.refusalWithoutLookup(URI.create("http://0177.0.0.1/")).orElseThrow().contains("unusual spelling"));
        assertTrue(p.refusalWithoutLookup(URI.create("http://0x7f.1/")).isPresent());
        assertTrue(p.refusalWithoutLookup(URI.create("http://[::1]/")).isPresent());
        assertTrue(p.refusalWithoutLookup(URI.create("http://127.0.0.1:8099/")).isEmpty());
        assertTrue(p.refusalWithoutLookup(URI.create("http://localhost/")).isEmpty());
        assertTrue(p.refusalWithoutLookup(URI.create("https://hooks.example/")).isEmpty());
        int before = DNS.lookups.get();
        p.refusalWithoutLookup(URI.create("https://hooks.example/"));
        assertEquals(before, DNS.lookups.get());
    }

    @Test
    void socketsFromThePolicyRefuseInternalAddressesBeforeConnecting() throws Exception {
        try (var trap = dev.toban.plumbing.testing.RawTcpServer.trap()) {
            EgressPolicy p = policy();
            Socket socket = p.socketFactory().createSocket();
            EgressRefusedException e = assertThrows(EgressRefusedException.class,
                    () -> socket.connect(new InetSocketAddress("127.0.0.1", trap.port()), 1000));
            assertEquals("loopback address 127.0.0.1", e.reason());
            assertTrue(socket.isClosed());
            InetAddress named = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
            assertEquals("localhost is loopback address 127.0.0.1", assertThrows(EgressRefusedException.class,
                    () -> p.socketFactory().createSocket(named, trap.port())).reason());
            assertEquals(0, trap.connections(), "never connected");

            EgressPolicy allowing = policy("127.0.0.1:" + trap.port());
            try (Socket ok = allowing.socketFactory().createSocket("127.0.0.1", trap.port())) {
                assertTrue(ok.isConnected());
            }
        }
    }
}
