package dev.toban.plumbing.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.net.SocketFactory;

/**
 * Plain sockets that ask the policy before each connection, on the very address being connected
 * to. TLS clients layer their handshake on these sockets, so the name still drives SNI and
 * certificate checks. Used by clients that take a {@link SocketFactory} (OkHttp, for Slack).
 */
final class EgressSocketFactory extends SocketFactory {

    private final EgressPolicy policy;

    EgressSocketFactory(EgressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new VettedSocket(policy);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    private static final class VettedSocket extends Socket {

        private final EgressPolicy policy;

        VettedSocket(EgressPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            try {
                if (!(endpoint instanceof InetSocketAddress target)) {
                    throw new SocketException("only IP sockets are supported");
                }
                if (target.isUnresolved()) {
                    throw new UnknownHostException(target.getHostString());
                }
                // getHostString: the name the address was resolved for, never a reverse lookup
                policy.checkConnect(target.getHostString(), target.getAddress(), target.getPort());
            } catch (IOException e) {
                close();
                throw e;
            }
            super.connect(endpoint, timeout);
        }
    }
}
