package io.etrms.gateway.ws;

import io.etrms.gateway.fanout.TextSink;
import io.etrms.http.AddressCounts;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A Jetty WebSocket {@link Session} (the native API) as a {@link TextSink}: every call is
 * asynchronous, so a stuck reader never holds a thread. The sender keeps one text message in
 * flight, so the one completion callback of this sink is reused for every send.
 */
final class SessionSink implements TextSink, Callback {

    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

    private final Session session;
    private volatile Consumer<Throwable> completion;

    SessionSink(Session session) {
        this.session = session;
    }

    @Override
    public void send(String text, Consumer<Throwable> completion) {
        this.completion = completion;
        try {
            session.sendText(text, this);
        } catch (RuntimeException e) {
            completion.accept(e);
        }
    }

    /** The send in flight completed (Jetty calls this on whichever thread finished the write). */
    @Override
    public void succeed() {
        completion.accept(null);
    }

    @Override
    public void fail(Throwable failure) {
        completion.accept(failure);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    /** Sends a protocol ping; the client's pong proves it is alive. */
    void ping() {
        if (session.isOpen()) {
            session.sendPing(NO_PAYLOAD.duplicate(), Callback.NOOP);
        }
    }

    /** Drops the connection without a close handshake (the peer stopped reading). */
    void abort() {
        session.disconnect();
    }

    boolean isOpen() {
        return session.isOpen();
    }

    /** The client's address, or null. */
    InetAddress remoteAddress() {
        return AddressCounts.of(session.getRemoteSocketAddress());
    }
}
