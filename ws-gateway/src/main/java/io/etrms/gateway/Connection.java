package io.etrms.gateway;

/**
 * Everything the gateway holds for one open WebSocket: its sink, its subscription, its flood
 * limiter and the liveness clocks the {@link ConnectionSupervisor} checks.
 */
final class Connection {

    static final int GOING_AWAY = 1001;
    static final int POLICY_VIOLATION = 1008;

    private final Channel channel;
    private final SessionSink sink;
    private final Subscriber subscriber;
    private final FloodLimiter flood;
    private final GatewayMetrics metrics;
    private volatile long lastInboundNanos;
    private volatile long lastPingNanos;
    private volatile long closeRequestedNanos;

    Connection(Channel channel, SessionSink sink, Subscriber subscriber, FloodLimiter flood, GatewayMetrics metrics, long nowNanos) {
        this.channel = channel;
        this.sink = sink;
        this.subscriber = subscriber;
        this.flood = flood;
        this.metrics = metrics;
        this.lastInboundNanos = nowNanos;
        this.lastPingNanos = nowNanos;
    }

    Channel channel() {
        return channel;
    }

    Subscriber subscriber() {
        return subscriber;
    }

    /**
     * An inbound text message. {@code subscribe}, {@code ping} and anything else are accepted and
     * never answered (the seed clients would print a reply as data); only the rate matters.
     */
    void onText(String text) {
        long now = System.nanoTime();
        lastInboundNanos = now;
        if (!flood.tryAcquire(now)) {
            metrics.policyClose(channel, POLICY_VIOLATION);
            close(POLICY_VIOLATION, "too many messages");
        }
    }

    void onPong() {
        lastInboundNanos = System.nanoTime();
    }

    long lastInboundNanos() {
        return lastInboundNanos;
    }

    long lastPingNanos() {
        return lastPingNanos;
    }

    void ping(long nowNanos) {
        lastPingNanos = nowNanos;
        sink.ping();
    }

    /** Closes with {@code code} (once); a peer that never completes the handshake is aborted later. */
    void close(int code, String reason) {
        if (closeRequestedNanos == 0) {
            closeRequestedNanos = System.nanoTime();
        }
        subscriber.sender().close(code, reason);
    }

    /** When closing began (the sender closed itself, or {@link #close}); records {@code nowNanos} if not yet known. */
    long markClosing(long nowNanos) {
        if (closeRequestedNanos == 0) {
            closeRequestedNanos = nowNanos;
        }
        return closeRequestedNanos;
    }

    void abort() {
        sink.abort();
    }

    boolean isOpen() {
        return sink.isOpen();
    }
}
