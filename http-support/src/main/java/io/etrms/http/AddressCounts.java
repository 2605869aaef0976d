package io.etrms.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/** How many of something each client address holds at once (connections, replays), for per-address caps. */
public final class AddressCounts {

    private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more for {@code address}; returns the new count. */
    public int increment(InetAddress address) {
        return counts.merge(address, 1, Integer::sum);
    }

    /** Counts one more unless {@code address} holds {@code max} already; true when counted. */
    public boolean tryIncrement(InetAddress address, int max) {
        boolean[] taken = {false};
        counts.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    public void decrement(InetAddress address) {
        counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    public int count(InetAddress address) {
        return counts.getOrDefault(address, 0);
    }

    /** The address of a socket address, or null when it has none (a Unix socket, a test double). */
    public static InetAddress of(SocketAddress socket) {
        return socket instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
