package io.etrms.gateway.fanout;

import java.util.function.Consumer;

/** Where a sender's text goes: one WebSocket session (or a test double). No method blocks. */
public interface TextSink {

    /** Starts sending {@code text}; {@code completion} gets null on success or the failure. */
    void send(String text, Consumer<Throwable> completion);

    /** Starts a close handshake with {@code code} and {@code reason}. */
    void close(int code, String reason);
}
