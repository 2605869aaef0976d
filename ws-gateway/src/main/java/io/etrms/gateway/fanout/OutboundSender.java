package io.etrms.gateway.fanout;

import java.util.function.Consumer;

/**
 * The outbound half of one connection: at most one write in flight, the next taken from a
 * subclass's buffer when the previous one completes. A write carries every message buffered
 * meanwhile (up to {@value #MAX_BATCH}), in order, so a connection that fell behind catches up
 * with one socket write for many messages instead of one each. Offering never blocks the caller
 * (the Kafka consumer thread), so no client can stall another.
 *
 * <p>One thread at a time runs the send loop; a completion on another thread either hands the
 * loop back to the thread already in it or takes it over, so a send completing inline never
 * recurses (cf. cometd {@code AbstractWebSocketEndPoint.Flusher}).
 */
public abstract class OutboundSender {

    /** Messages one write carries at most. */
    public static final int MAX_BATCH = 64;

    private final TextSink sink;
    private final ChannelMeters meters;
    private final Consumer<Throwable> completion = this::completed;
    /** Messages of the write in flight; 0 when none is. */
    private int inFlight;
    private boolean looping;
    private boolean closed;
    private long inFlightSinceNanos;
    /** A close handshake decided under the lock, started after it is released. */
    private int closeCode;
    private String closeReason;
    private boolean closePending;

    OutboundSender(TextSink sink, ChannelMeters meters) {
        this.sink = sink;
        this.meters = meters;
    }

    /** Queues or conflates {@code text} and sends it when the connection is free. Never blocks. */
    public final void offer(EncodedText text) {
        if (buffer(text)) {
            pump();
        }
    }

    /**
     * Queues or conflates {@code text} without starting a send, for a caller that holds a lock no
     * socket write should run under; it calls {@link #pump()} once it released it. Never blocks.
     *
     * @return true when a send may be due (the caller should pump)
     */
    public final boolean buffer(EncodedText text) {
        boolean due;
        boolean closing;
        synchronized (this) {
            due = !closed && enqueue(text) && !looping && inFlight == 0;
            closing = closePending;
        }
        if (closing) {
            startPendingClose();
        }
        return due;
    }

    /** Buffers one message; returns false when the message was dropped (and the sender closed). Holds the lock. */
    protected abstract boolean enqueue(EncodedText text);

    /** The next message to send, or null when none. Holds the lock. */
    protected abstract EncodedText next();

    /** Messages waiting behind the write in flight. Holds the lock. */
    protected abstract int buffered();

    protected final ChannelMeters meters() {
        return meters;
    }

    /**
     * Marks the sender closed; the close handshake starts once the lock is released. Jetty may
     * call the endpoint's onClose on the calling thread, and that must never run under this lock
     * (the Kafka reader thread takes this lock while it publishes). Holds the lock.
     */
    protected final void closeLocked(int code, String reason) {
        if (!closed) {
            closed = true;
            closePending = true;
            closeCode = code;
            closeReason = reason;
        }
    }

    /** Stops sending and closes the connection with {@code code}. */
    public final void close(int code, String reason) {
        synchronized (this) {
            closeLocked(code, reason);
        }
        startPendingClose();
    }

    private void startPendingClose() {
        int code;
        String reason;
        synchronized (this) {
            if (!closePending) {
                return;
            }
            closePending = false;
            code = closeCode;
            reason = closeReason;
        }
        sink.close(code, reason);
    }

    /** Stops sending without a handshake (the connection is already gone). */
    public final synchronized void stop() {
        closed = true;
    }

    public final synchronized boolean isClosed() {
        return closed;
    }

    /** Nanos since the write in flight started, or 0 when nothing is in flight. */
    public final synchronized long inFlightNanos(long nowNanos) {
        return inFlight > 0 ? nowNanos - inFlightSinceNanos : 0;
    }

    /** Messages buffered or in flight. */
    public final synchronized int pending() {
        return buffered() + inFlight;
    }

    /** Runs the send loop unless another thread is in it. */
    public final void pump() {
        EncodedText[] batch;
        synchronized (this) {
            if (looping) {
                return;
            }
            batch = takeBatchLocked();
            if (batch == null) {
                return;
            }
            looping = true;
        }
        for (;;) {
            sink.send(batch, completion);
            synchronized (this) {
                batch = takeBatchLocked();
                if (batch == null) {
                    looping = false;
                    return;
                }
            }
        }
    }

    /**
     * The buffered messages (up to {@value #MAX_BATCH}, oldest first), marked in flight; null when a
     * write is in flight already, the sender is closed or nothing waits. Holds the lock.
     */
    private EncodedText[] takeBatchLocked() {
        if (inFlight > 0 || closed) {
            return null;
        }
        int n = Math.min(buffered(), MAX_BATCH);
        if (n == 0) {
            return null;
        }
        EncodedText[] batch = new EncodedText[n];
        for (int i = 0; i < n; i++) {
            batch[i] = next();
        }
        inFlight = n;
        inFlightSinceNanos = System.nanoTime();
        return batch;
    }

    private void completed(Throwable failure) {
        long sendNanos;
        int sent;
        synchronized (this) {
            sendNanos = System.nanoTime() - inFlightSinceNanos;
            sent = inFlight;
            inFlight = 0;
            if (failure != null) {
                closed = true;
            }
        }
        if (failure == null) {
            // once per write, not per message: a meter update per message was 8 % of a loaded gateway's samples
            meters.sent().increment(sent);
            meters.sendLatency().record(sendNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            pump();
        }
    }
}
