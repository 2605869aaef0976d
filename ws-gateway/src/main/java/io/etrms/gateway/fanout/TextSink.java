package io.etrms.gateway.fanout;

import java.util.function.Consumer;

/** Where a sender's text goes: one WebSocket session (or a test double). No method blocks. */
public interface TextSink {

    /**
     * Starts sending {@code texts}, one message each, in order (written together where the
     * connection allows); {@code completion} gets null once all are written, or the failure.
     */
    void send(EncodedText[] texts, Consumer<Throwable> completion);

    /** Starts a close handshake with {@code code} and {@code reason}. */
    void close(int code, String reason);
}
