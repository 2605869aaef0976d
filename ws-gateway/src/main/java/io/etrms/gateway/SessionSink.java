package io.etrms.gateway;

import jakarta.websocket.Session;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A Jakarta WebSocket session as a {@link TextSink}. Text goes through the async remote; close,
 * ping and abort go straight to Jetty's core session because the Jakarta forms of those block
 * until written, which a stuck reader would turn into a stuck thread.
 */
final class SessionSink implements TextSink {

    private final Session session;
    private final CoreSession core;

    SessionSink(Session session) {
        this.session = session;
        this.core = ((JakartaWebSocketSession) session).getCoreSession();
    }

    @Override
    public void send(String text, Consumer<Throwable> completion) {
        try {
            session.getAsyncRemote().sendText(text, result -> completion.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            completion.accept(e);
        }
    }

    @Override
    public void close(int code, String reason) {
        core.close(code, reason, Callback.NOOP);
    }

    /** Sends a protocol ping; the client's pong proves it is alive. */
    void ping() {
        if (core.isOutputOpen()) {
            core.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        }
    }

    /** Drops the connection without a close handshake (the peer stopped reading). */
    void abort() {
        core.abort();
    }

    boolean isOpen() {
        return !core.isClosed();
    }
}
