package io.etrms.gateway;

import io.etrms.http.AddressCounts;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the open connections and, on one timer thread, their liveness rules:
 * <ul>
 *   <li>the frames that arrived since the last check against the connection's flood limit (1008);</li>
 *   <li>a replay permit given back once the replayed alerts are written;</li>
 *   <li>a protocol ping every {@code etrms.gateway.ping.interval.ms};</li>
 *   <li>no inbound frame (message or pong) for {@code etrms.gateway.idle.timeout.ms}: close 1001;</li>
 *   <li>one send in flight for longer than {@code etrms.gateway.send.timeout.ms} (the reader stopped reading):
 *       close 1013 as a slow consumer;</li>
 *   <li>a close handshake not finished within the send timeout: abort the connection.</li>
 * </ul>
 */
final class ConnectionSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionSupervisor.class);

    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AddressCounts perAddress = new AddressCounts();
    private final GatewayMetrics metrics;
    private final long pingNanos;
    private final long idleNanos;
    private final long sendTimeoutNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etrms-gateway-supervisor");
        t.setDaemon(true);
        return t;
    });

    ConnectionSupervisor(GatewaySettings settings, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.pingNanos = settings.pingInterval().toNanos();
        this.idleNanos = settings.idleTimeout().toNanos();
        this.sendTimeoutNanos = settings.sendTimeout().toNanos();
        long tick = Math.max(10, Math.min(1000, Math.min(settings.pingInterval().toMillis(),
                Math.min(settings.idleTimeout().toMillis(), settings.sendTimeout().toMillis()) / 4)));
        timer.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
        metrics.gauge("etrms.gateway.pending.messages", "messages buffered for all connections", this,
                s -> s.connections.stream().mapToInt(c -> c.subscriber().sender().pending()).sum());
    }

    void add(Connection connection) {
        if (connections.add(connection) && connection.remote() != null) {
            perAddress.increment(connection.remote());
        }
    }

    void remove(Connection connection) {
        if (connections.remove(connection) && connection.remote() != null) {
            perAddress.decrement(connection.remote());
        }
    }

    /** Open connections. */
    int size() {
        return connections.size();
    }

    /** Open connections from {@code address}. */
    int openFrom(InetAddress address) {
        return perAddress.count(address);
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void check() {
        long now = System.nanoTime();
        for (Connection c : connections) {
            try {
                check(c, now);
            } catch (RuntimeException e) {
                log.warn("supervising a {} connection failed", c.channel().path(), e);
            }
        }
    }

    private void check(Connection c, long now) {
        OutboundSender sender = c.subscriber().sender();
        if (sender.isClosed()) {
            long closing = c.markClosing(now);
            if (now - closing > sendTimeoutNanos && c.isOpen()) {
                c.abort();
            }
            return;
        }
        if (sender.inFlightNanos(now) > sendTimeoutNanos) {
            metrics.channel(c.channel()).slowConsumerCloses().increment();
            c.close(QueueingSender.TRY_AGAIN_LATER, "too slow: a send did not complete in time");
            return;
        }
        c.checkInbound(now);
        if (sender.isClosed()) {
            return;
        }
        c.releaseReplayIfSent();
        if (now - c.lastInboundNanos() > idleNanos) {
            metrics.policyClose(c.channel(), Connection.GOING_AWAY);
            c.close(Connection.GOING_AWAY, "idle timeout");
            return;
        }
        if (now - c.lastPingNanos() >= pingNanos) {
            c.ping(now);
        }
    }

    /** Closes every connection with 1001 and waits up to {@code grace} for them to finish. */
    void closeAll(Duration grace) {
        for (Connection c : connections) {
            c.close(Connection.GOING_AWAY, "server shutting down");
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && connections.stream().anyMatch(Connection::isOpen)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
