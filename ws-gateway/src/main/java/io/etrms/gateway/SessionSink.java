package io.etrms.gateway;

import io.etrms.http.AddressCounts;
import jakarta.websocket.Session;
import java.net.InetAddress;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * A Jakarta WebSocket session as a {@link TextSink}. Everything goes straight to Jetty's core
 * session: text as one TEXT frame whose payload is a view of the message's shared UTF-8 bytes
 * (the Jakarta async remote would encode the string again for every connection and add a layer
 * of callbacks per send); close, ping and abort because the Jakarta forms of those block until
 * written, which a stuck reader would turn into a stuck thread. The sender keeps one text frame
 * in flight, as the Jakarta API would require. Jetty's connection also counts every inbound frame
 * (text, binary, continuation, ping, pong, close), which the Jakarta API does not show: the flood
 * rule counts those.
 */
final class SessionSink implements TextSink {

    private final CoreSession core;

    SessionSink(Session session) {
        this.core = ((JakartaWebSocketSession) session).getCoreSession();
    }

    @Override
    public void send(String text, Consumer<Throwable> completion) {
        send(EncodedText.of(text), completion);
    }

    @Override
    public void send(EncodedText text, Consumer<Throwable> completion) {
        try {
            core.sendFrame(new Frame(OpCode.TEXT, true, text.payload()), new Completion(completion), false);
        } catch (RuntimeException e) {
            completion.accept(e);
        }
    }

    /** A send's completion as a Jetty callback, run on whichever thread finished the write. */
    private record Completion(Consumer<Throwable> completion) implements Callback {
        @Override
        public void succeeded() {
            completion.accept(null);
        }

        @Override
        public void failed(Throwable failure) {
            completion.accept(failure);
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

    /** Frames received so far, of every kind. */
    long framesIn() {
        WebSocketConnection connection = core instanceof WebSocketCoreSession session ? session.getConnection() : null;
        return connection == null ? 0 : connection.getMessagesIn();
    }

    /** The client's address, or null. */
    InetAddress remoteAddress() {
        return AddressCounts.of(core.getRemoteAddress());
    }
}
