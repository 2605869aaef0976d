package io.etrms.http;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;

/**
 * At most {@code max} TCP connections open at once from one client address, so one client cannot
 * take the port's whole {@code NetworkConnectionLimit}. Jetty has a global connection limit but
 * none per address; this counts with Jetty's own connection events. A new HTTP connection over the
 * limit is closed at once; a connection that replaces another on the same socket (a WebSocket
 * upgrade) is never closed for it, and the socket keeps counting once.
 */
final class PerIpConnectionLimit implements Connection.Listener {

    private final int max;
    private final AddressCounts open = new AddressCounts();
    private final AtomicLong refused = new AtomicLong();

    PerIpConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = address(connection);
        if (address == null) {
            return;
        }
        int count = open.increment(address);
        if (count > max && connection instanceof ConnectionMetaData) {
            refused.incrementAndGet();
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = address(connection);
        if (address != null) {
            open.decrement(address);
        }
    }

    /** Connections closed for this limit since start. */
    long refused() {
        return refused.get();
    }

    private static InetAddress address(Connection connection) {
        return AddressCounts.of(connection.getEndPoint().getRemoteSocketAddress());
    }
}
