package io.etrms.gateway.ws;

import io.etrms.gateway.fanout.EncodedText;
import io.etrms.gateway.fanout.TextSink;
import io.etrms.http.AddressCounts;
import java.net.InetAddress;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A connection's Jetty {@link CoreSession} as a {@link TextSink}; every call is asynchronous, so a
 * stuck reader never holds a thread. Each message goes out as one TEXT frame whose payload is a
 * view of the message's shared UTF-8 bytes (no encoding per connection). The messages of one
 * {@link #send} are written together: all but the last are sent in batch mode, which Jetty's frame
 * flusher copies into one aggregate buffer, and the last (not batched) flushes that buffer with
 * its own frame in one gathering write. The sender keeps one such write in flight, so the one
 * completion callback of this sink is reused for every write.
 */
final class SessionSink implements TextSink, Callback {

    private final CoreSession session;
    private volatile Consumer<Throwable> completion;

    SessionSink(CoreSession session) {
        this.session = session;
    }

    @Override
    public void send(EncodedText[] texts, Consumer<Throwable> completion) {
        this.completion = completion;
        try {
            int last = texts.length - 1;
            for (int i = 0; i < last; i++) {
                // a batched frame that fails fails the flusher, and with it the last frame's callback
                session.sendFrame(new Frame(OpCode.TEXT, true, texts[i].payload()), Callback.NOOP, true);
            }
            session.sendFrame(new Frame(OpCode.TEXT, true, texts[last].payload()), this, false);
        } catch (RuntimeException e) {
            completion.accept(e);
        }
    }

    /** The write in flight completed (Jetty calls this on whichever thread finished it). */
    @Override
    public void succeeded() {
        completion.accept(null);
    }

    @Override
    public void failed(Throwable failure) {
        completion.accept(failure);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    /** Sends a protocol ping; the client's pong proves it is alive. */
    void ping() {
        if (session.isOutputOpen()) {
            session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        }
    }

    /** Drops the connection without a close handshake (the peer stopped reading). */
    void abort() {
        session.abort();
    }

    boolean isOpen() {
        return !session.isClosed();
    }

    /** The client's address, or null. */
    InetAddress remoteAddress() {
        return AddressCounts.of(session.getRemoteAddress());
    }
}
