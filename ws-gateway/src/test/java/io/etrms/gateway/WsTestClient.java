package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A real Jetty WebSocket client connection that records what it receives. */
public final class WsTestClient implements Session.Listener.AutoDemanding {

    /** A close as the client saw it. */
    record Close(int code, String reason) {
    }

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private final boolean answerPings;
    private volatile Session session;

    private WsTestClient(boolean answerPings) {
        this.answerPings = answerPings;
    }

    static WsTestClient connect(WebSocketClient client, URI uri) throws Exception {
        return connect(client, uri, Map.of());
    }

    static WsTestClient connect(WebSocketClient client, URI uri, Map<String, String> headers) throws Exception {
        return connect(client, uri, headers, true);
    }

    /** A client that, with {@code answerPings} false, never sends a pong: a dead peer to the server. */
    static WsTestClient connect(WebSocketClient client, URI uri, Map<String, String> headers, boolean answerPings) throws Exception {
        WsTestClient listener = new WsTestClient(answerPings);
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        headers.forEach(request::setHeader);
        client.connect(listener, request).get(10, TimeUnit.SECONDS);
        return listener;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        messages.add(message);
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        pings.incrementAndGet();
        Session s = session;
        if (s != null && answerPings) {
            s.sendPong(payload, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        pongs.add(java.nio.charset.StandardCharsets.UTF_8.decode(payload).toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closed.complete(new Close(statusCode, reason));
        callback.succeed();
    }

    /** The next message, failing the test when none arrives within {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        String message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message within %s", timeout).isNotNull();
        return message;
    }

    String next() throws InterruptedException {
        return next(Duration.ofSeconds(15));
    }

    /** Whatever arrived so far, without waiting. */
    List<String> drain() {
        List<String> out = new java.util.ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    Close awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    int pings() {
        return pings.get();
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    void sendBinary(ByteBuffer payload) {
        session.sendBinary(payload, Callback.NOOP);
    }

    /** Sends a ping carrying {@code payload}. */
    void sendPing(String payload) {
        session.sendPing(java.nio.charset.StandardCharsets.UTF_8.encode(payload), Callback.NOOP);
    }

    /** The payload of the next pong, or null when none arrives within {@code timeout}. */
    String nextPong(Duration timeout) throws InterruptedException {
        return pongs.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
    }
}
