package io.etrms.gateway;

import java.net.InetAddress;

/**
 * Everything the gateway holds for one open WebSocket: its sink, its subscription, its flood
 * limiter, the liveness clocks the {@link ConnectionSupervisor} checks, and the replay permit of
 * an alerts connection opened with {@code since}.
 */
final class Connection {

    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;

    private final Channel channel;
    private final SessionSink sink;
    private final Subscriber subscriber;
    private final FloodLimiter flood;
    private final GatewayMetrics metrics;
    private final InetAddress remote;
    private volatile long lastInboundNanos;
    private volatile long lastPingNanos;
    private volatile long closeRequestedNanos;
    private long framesSeen;
    /** Gives the connection's replay permit back; null when it holds none. */
    private Runnable replayPermit;

    Connection(Channel channel, SessionSink sink, Subscriber subscriber, FloodLimiter flood, GatewayMetrics metrics, long nowNanos) {
        this.channel = channel;
        this.sink = sink;
        this.subscriber = subscriber;
        this.flood = flood;
        this.metrics = metrics;
        this.remote = sink.remoteAddress();
        this.lastInboundNanos = nowNanos;
        this.lastPingNanos = nowNanos;
    }

    Channel channel() {
        return channel;
    }

    Subscriber subscriber() {
        return subscriber;
    }

    /** The client's address (null when unknown). */
    InetAddress remote() {
        return remote;
    }

    /**
     * An inbound text message. {@code subscribe}, {@code ping} and anything else are accepted and
     * never answered (the seed clients would print a reply as data); only the frame rate matters,
     * which {@link #checkInbound} counts.
     */
    void onText(String text) {
        lastInboundNanos = System.nanoTime();
    }

    /** A binary frame: this API has none, and reading it would only cost us. */
    void onBinary() {
        metrics.policyClose(channel, UNSUPPORTED_DATA);
        close(UNSUPPORTED_DATA, "binary messages are not accepted");
    }

    void onPong() {
        lastInboundNanos = System.nanoTime();
    }

    /**
     * Counts the frames that arrived since the last check (every kind, pings included, which the
     * Jakarta API never shows) against the flood limit; closes with 1008 above it. Called by the
     * supervisor only.
     */
    void checkInbound(long nowNanos) {
        long frames = sink.framesIn();
        long arrived = frames - framesSeen;
        if (arrived <= 0) {
            return;
        }
        framesSeen = frames;
        lastInboundNanos = nowNanos;
        if (!flood.tryAcquire(arrived, nowNanos)) {
            metrics.policyClose(channel, POLICY_VIOLATION);
            close(POLICY_VIOLATION, "too many messages");
        }
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

    /** Holds a replay permit until the replayed alerts are written ({@link #releaseReplayIfSent}) or the connection closes. */
    synchronized void holdReplayPermit(Runnable release) {
        replayPermit = release;
    }

    /** Gives the replay permit back once nothing is left to send. */
    void releaseReplayIfSent() {
        if (subscriber.sender().pending() == 0) {
            releaseReplay();
        }
    }

    synchronized void releaseReplay() {
        if (replayPermit != null) {
            replayPermit.run();
            replayPermit = null;
        }
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
