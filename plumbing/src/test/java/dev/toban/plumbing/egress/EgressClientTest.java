package dev.toban.plumbing.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.toban.plumbing.testing.RawTcpServer;
import io.vertx.core.Vertx;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbound client against real sockets: what is refused is never connected to, what is allowed works. */
class EgressClientTest {

    record Seen(String path, String host, String sni, Map<String, List<String>> headers, String body) {
    }

    static Vertx vertx;
    static HttpServer receiver;
    static RawTcpServer trap;
    static final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/", EgressClientTest::answer);
        receiver.start();
        trap = RawTcpServer.trap();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        trap.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String sni = null;
            if (exchange instanceof HttpsExchange https && https.getSSLSession() instanceof ExtendedSSLSession session) {
                sni = session.getRequestedServerNames().stream().filter(n -> n instanceof SNIHostName)
                        .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse(null);
            }
            String path = exchange.getRequestURI().getPath();
            seen.add(new Seen(path, exchange.getRequestHeaders().getFirst("Host"), sni,
                    Map.copyOf(exchange.getRequestHeaders()), body));
            switch (path) {
                case "/moved" -> {
                    exchange.getResponseHeaders().add("Location", "/landing");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/big" -> {
                    byte[] big = new byte[1 << 20];
                    java.util.Arrays.fill(big, (byte) 'x');
                    exchange.sendResponseHeaders(200, big.length);
                    try {
                        exchange.getResponseBody().write(big);
                    } catch (IOException e) {
                        // the client hung up after its cap: expected
                    }
                }
                case "/slow" -> {
                    try {
                        Thread.sleep(3000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> {
                    byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(201, out.length);
                    exchange.getResponseBody().write(out);
                }
            }
        }
    }

    static List<Seen> seen(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    static int port() {
        return receiver.getAddress().getPort();
    }

    static EgressClient client(EgressPolicy policy) {
        return new EgressClient(vertx, policy, Duration.ofSeconds(2), Duration.ofSeconds(5), 4096, null);
    }

    static EgressClient allowingReceiver() {
        return client(EgressPolicy.allowing("127.0.0.1:" + port()));
    }

    @Test
    void anAllowlistedReceiverGetsTheRequestAndTheAnswerComesBack() throws Exception {
        EgressResponse r = allowingReceiver().send(EgressRequest.post(URI.create("http://127.0.0.1:" + port() + "/hook?a=1"),
                "{\"hello\":\"世界\"}").header("Content-Type", "application/json").header("X-Toban-Event", "t.e"));
        assertEquals(201, r.status());
        assertEquals("{\"ok\":true}", r.text());
        assertEquals("application/json", r.header("Content-Type"));
        assertFalse(r.truncated());
        Seen s = seen("/hook").get(0);
        assertEquals("{\"hello\":\"世界\"}", s.body());
        assertEquals("t.e", s.headers().get("X-toban-event").get(0));
        assertEquals("127.0.0.1:" + port(), s.host());
    }

    @Test
    void anAllowlistedIpv6ReceiverIsCalledWithABracketedHost() throws Exception {
        HttpServer v6;
        try {
            v6 = HttpServer.create(new InetSocketAddress("::1", 0), 10);
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here");
            return;
        }
        v6.createContext("/", EgressClientTest::answer);
        v6.start();
        try {
            int p = v6.getAddress().getPort();
            EgressResponse r = client(EgressPolicy.allowing("[::1]:" + p))
                    .send(EgressRequest.post(URI.create("http://[::1]:" + p + "/v6"), "{}"));
            assertEquals(201, r.status());
            assertEquals(List.of("[::1]:" + p), seen("/v6").get(0).headers().get("Host"), "one Host header, bracketed");
        } finally {
            v6.stop(0);
        }
    }

    @Test
    void refusedDestinationsAreNeverConnectedTo() throws Exception {
        EgressClient client = allowingReceiver();
        List<String> urls = new java.util.ArrayList<>(List.of(
                "http://127.0.0.1:" + trap.port() + "/admin/",
                "http://2130706433:" + trap.port() + "/",
                "http://0x7f.1:" + trap.port() + "/",
                "http://localhost:" + trap.port() + "/",
                "http://10.0.0.1:" + trap.port() + "/",
                "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:127.0.0.1]:" + trap.port() + "/"));
        RawTcpServer trap6 = null;
        try {
            trap6 = RawTcpServer.trap("::1");
            urls.add("http://[::1]:" + trap6.port() + "/");
        } catch (IOException e) {
            urls.add("http://[::1]:" + trap.port() + "/"); // no IPv6 loopback here: still refused before connecting
        }
        try {
            for (String url : urls) {
                EgressRefusedException e = assertThrows(EgressRefusedException.class,
                        () -> client.send(EgressRequest.post(URI.create(url), "{}")), url);
                assertTrue(e.getMessage().startsWith("refused by egress policy: "), e.getMessage());
            }
            assertEquals(0, trap.connections(), "never connected");
            assertEquals(0, trap6 == null ? 0 : trap6.connections(), "never connected over IPv6");
        } finally {
            if (trap6 != null) {
                trap6.close();
            }
        }
    }

    @Test
    void redirectsAreAnswersNotFollowed() throws Exception {
        EgressResponse r = allowingReceiver().send(EgressRequest.post(URI.create("http://127.0.0.1:" + port() + "/moved"), "{}"));
        assertEquals(302, r.status());
        assertEquals("/landing", r.header("location"));
        assertTrue(seen("/landing").isEmpty(), "the redirect was not followed");
    }

    @Test
    void theAnswerIsReadOnlyUpToTheCap() throws Exception {
        EgressClient client = allowingReceiver();
        EgressResponse r = client.send(EgressRequest.get(URI.create("http://127.0.0.1:" + port() + "/big")));
        assertTrue(r.truncated());
        assertEquals(4096, r.body().length);
        EgressResponse bigger = client.send(EgressRequest.get(URI.create("http://127.0.0.1:" + port() + "/big"))
                .maxResponseBytes(10_000));
        assertEquals(10_000, bigger.body().length);
        // the client still works after cutting answers off
        assertEquals(201, client.send(EgressRequest.post(URI.create("http://127.0.0.1:" + port() + "/after"), "{}")).status());
    }

    @Test
    void aSlowReceiverTimesOut() {
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> allowingReceiver().send(
                EgressRequest.post(URI.create("http://127.0.0.1:" + port() + "/slow"), "{}").timeout(Duration.ofMillis(300))));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500);
    }

    @Test
    void aClosedPortIsAConnectFailureAndGarbageIsATransportFailure() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        EgressClient refusedConnection = client(EgressPolicy.allowing("127.0.0.1:" + closed));
        assertThrows(java.net.ConnectException.class, () -> refusedConnection.send(
                EgressRequest.post(URI.create("http://127.0.0.1:" + closed + "/"), "{}")));
        try (RawTcpServer raw = RawTcpServer.answering("\0\0\0\u0001not http\0".getBytes(StandardCharsets.ISO_8859_1))) {
            EgressClient client = client(EgressPolicy.allowing("127.0.0.1:" + raw.port()));
            IOException e = assertThrows(IOException.class,
                    () -> client.send(EgressRequest.post(URI.create("http://127.0.0.1:" + raw.port() + "/"), "{}")));
            assertFalse(e instanceof EgressRefusedException);
        }
    }

    @Test
    void aNameIsResolvedOnceAndTheConnectionGoesWhereTheCheckLooked() throws Exception {
        // a rebinding DNS: the first answer is the allowed receiver, any later one another address on its port
        AtomicInteger lookups = new AtomicInteger();
        EgressPolicy.Resolver rebinding = host -> new InetAddress[] {InetAddress.getByAddress(host,
                lookups.getAndIncrement() == 0 ? new byte[] {127, 0, 0, 1} : new byte[] {127, 0, 0, 2})};
        ServerSocket other = null;
        try {
            other = new ServerSocket(port(), 1, InetAddress.getByName("127.0.0.2"));
        } catch (IOException e) {
            // no second loopback address here; the lookup count still shows there is one lookup
        }
        try {
            EgressClient client = client(new EgressPolicy(List.of("127.0.0.1:" + port()), rebinding));
            EgressResponse r = client.send(EgressRequest.post(URI.create("http://rebind.example:" + port() + "/rebind"), "{}"));
            assertEquals(201, r.status());
            assertEquals(1, lookups.get(), "one lookup: the vetted address is the one connected to");
            assertEquals("rebind.example:" + port(), seen("/rebind").get(0).host(), "the Host header keeps the name");
        } finally {
            if (other != null) {
                other.close();
            }
        }
    }

    @Test
    void overTlsTheNameFromTheUrlIsSentAsSniAndTheCertificateIsCheckedAgainstIt(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path store = dir.resolve("egress.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "egress", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=egress.test", "-ext", "SAN=dns:egress.test", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(keytool.waitFor() == 0 && Files.exists(store), "keytool: " + output);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", EgressClientTest::answer);
        server.start();
        try {
            int port = server.getAddress().getPort();
            Map<String, String> dns = new ConcurrentHashMap<>(Map.of("egress.test", "127.0.0.1", "other.test", "127.0.0.1"));
            EgressPolicy.Resolver resolver = host -> {
                String ip = dns.get(host);
                if (ip == null) {
                    throw new UnknownHostException(host);
                }
                return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress())};
            };
            EgressClient client = new EgressClient(vertx, new EgressPolicy(List.of("127.0.0.1:" + port), resolver),
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 4096,
                    new PfxOptions().setPath(store.toString()).setPassword("changeit"));

            EgressResponse r = client.send(EgressRequest.post(URI.create("https://egress.test:" + port + "/tls"), "{}"));
            assertEquals(201, r.status());
            Seen s = seen("/tls").get(0);
            assertEquals("egress.test", s.sni(), "SNI carries the name, though the connection went to 127.0.0.1");
            assertEquals("egress.test:" + port, s.host());
            // the same server under a name its certificate does not have: the name is what is verified
            IOException e = assertThrows(IOException.class,
                    () -> client.send(EgressRequest.post(URI.create("https://other.test:" + port + "/tls-other"), "{}")));
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t).append(" / ");
            }
            assertTrue(e instanceof SSLException && chain.toString().contains("other.test"), chain.toString());
            assertTrue(seen("/tls-other").isEmpty());
        } finally {
            server.stop(0);
        }
    }
}
