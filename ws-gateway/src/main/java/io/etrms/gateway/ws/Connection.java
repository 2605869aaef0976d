package io.etrms.gateway.ws;

import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.Subscriber;
import io.etrms.gateway.metrics.GatewayMetrics;
import java.net.InetAddress;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Everything the gateway holds for one open WebSocket: its sink, its subscription, its flood
 * limiter, the liveness clocks the {@link ConnectionSupervisor} checks, and the replay permit of
 * an alerts connection opened with {@code since}.
 */
final class Connection {

    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;

    private final Channel channel;
    private final SessionSink sink;
    private final Subscriber subscriber;
    private final FloodLimiter flood;
    private final GatewayMetrics metrics;
    private final InetAddress remote;
    private final int maxMessageBytes;
    /** Bytes of the inbound text message being received (its frames so far); Jetty delivers one frame at a time. */
    private long messageBytes;
    private volatile long lastInboundNanos;
    private volatile long lastPingNanos;
    private volatile long closeRequestedNanos;
    /** Gives the connection's replay permit back; null when it holds none. */
    private Runnable replayPermit;

    Connection(Channel channel, SessionSink sink, Subscriber subscriber, FloodLimiter flood, int maxMessageBytes, GatewayMetrics metrics,
               long nowNanos) {
        this.maxMessageBytes = maxMessageBytes;
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
     * An inbound frame of any kind (text, binary, continuation, ping, pong, close): it proves the
     * client alive and costs a token of the flood limit (a ping flood costs the server a pong
     * each); above the limit the connection is closed with 1008. A binary frame closes it with
     * 1003: this API has none, and reading it would only cost us. A text message whose frames add
     * up to more than {@code etrms.gateway.max.inbound.message.bytes} closes it with 1009 (Jetty
     * hands a large frame over in fragments as it parses it). Text ({@code subscribe},
     * {@code ping}, anything) is accepted and never answered: the seed clients would print a reply
     * as data.
     */
    void onFrame(byte opCode, int payloadBytes, boolean fin, long nowNanos) {
        lastInboundNanos = nowNanos;
        if (opCode == OpCode.BINARY) {
            metrics.policyClose(channel, UNSUPPORTED_DATA);
            close(UNSUPPORTED_DATA, "binary messages are not accepted");
            return;
        }
        if (!flood.tryAcquire(nowNanos)) {
            metrics.policyClose(channel, POLICY_VIOLATION);
            close(POLICY_VIOLATION, "too many messages");
            return;
        }
        if (opCode == OpCode.TEXT || opCode == OpCode.CONTINUATION) {
            messageBytes = (opCode == OpCode.TEXT ? 0 : messageBytes) + payloadBytes;
            if (messageBytes > maxMessageBytes) {
                close(MESSAGE_TOO_BIG, "message larger than " + maxMessageBytes + " bytes");
            } else if (fin) {
                messageBytes = 0;
            }
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
