package dev.toban.plumbing.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener that counts the connections it accepts and answers each with fixed raw bytes (or
 * nothing) before closing. As a trap it proves a refused destination was never connected to; with
 * bytes that are not HTTP it stands in for a webhook pointed at some other protocol's port.
 */
public final class RawTcpServer implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final byte[] answer;

    private RawTcpServer(InetAddress bind, byte[] answer) throws IOException {
        this.answer = answer;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(bind, 0), 50);
        Thread.ofPlatform().daemon().name("raw-tcp-" + server.getLocalPort()).start(this::serve);
    }

    /** A trap on 127.0.0.1: counts connections, answers nothing. */
    public static RawTcpServer trap() throws IOException {
        return new RawTcpServer(InetAddress.getByName("127.0.0.1"), new byte[0]);
    }

    /** A trap on {@code address} (such as {@code ::1}). */
    public static RawTcpServer trap(String address) throws IOException {
        return new RawTcpServer(InetAddress.getByName(address), new byte[0]);
    }

    /** On 127.0.0.1, answering every connection with {@code bytes} once the request has arrived. */
    public static RawTcpServer answering(byte[] bytes) throws IOException {
        return new RawTcpServer(InetAddress.getByName("127.0.0.1"), bytes);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connections.incrementAndGet();
                if (answer.length > 0) {
                    socket.setSoTimeout(2000);
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[8192];
                    in.read(buffer); // the start of the request, then the answer regardless of it
                    OutputStream out = socket.getOutputStream();
                    out.write(answer);
                    out.flush();
                }
            } catch (IOException e) {
                // closed, or the client went away: keep serving until closed
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
