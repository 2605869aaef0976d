package io.etrms.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client (the JDK's) that records every text message with the time it arrived, and
 * how the connection ended. Like the seed's clients it only reads; the server's protocol pings
 * are answered by the JDK.
 */
final class WsRecorder implements WebSocket.Listener, AutoCloseable {

    /** One message and when it arrived ({@link System#nanoTime()}). */
    record Message(long nanos, String text) {
    }

    private final String label;
    private final URI uri;
    private final List<Message> messages = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile String ended;

    private WsRecorder(String label, URI uri) {
        this.label = label;
        this.uri = uri;
    }

    /** Connects to {@code ws://localhost:port/api/v1/ws/{channel}?account=...}; returns once open. */
    static WsRecorder connect(HttpClient http, String label, int port, String channel, String account) {
        return connect(http, label, port, channel, account, null);
    }

    /** As {@link #connect(HttpClient, String, int, String, String)}, with {@code &since=...} when {@code since} is not null (alerts). */
    static WsRecorder connect(HttpClient http, String label, int port, String channel, String account, Long since) {
        URI uri = URI.create("ws://localhost:" + port + "/api/v1/ws/" + channel + "?account=" + account
                + (since == null ? "" : "&since=" + since));
        WsRecorder recorder = new WsRecorder(label, uri);
        recorder.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, recorder).orTimeout(10, TimeUnit.SECONDS).join();
        return recorder;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            Message m = new Message(System.nanoTime(), partial.toString());
            partial.setLength(0);
            synchronized (messages) {
                messages.add(m);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended = "closed " + statusCode + " " + reason;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended = "error " + error;
    }

    String label() {
        return label;
    }

    URI uri() {
        return uri;
    }

    List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    List<String> texts() {
        return messages().stream().map(Message::text).toList();
    }

    String lastText() {
        synchronized (messages) {
            return messages.isEmpty() ? null : messages.get(messages.size() - 1).text();
        }
    }

    /** How the connection ended, or null while it is open. */
    String ended() {
        return ended;
    }

    /** A silence between two messages: from {@code fromNanos} to {@code toNanos} ({@link System#nanoTime()}). */
    record Gap(long fromNanos, long toNanos) {
        Duration length() {
            return Duration.ofNanos(toNanos - fromNanos);
        }

        /** "from 12.3 s to 25.0 s" relative to {@code originNanos}. */
        String describe(long originNanos) {
            return String.format("%.1f s to %.1f s", (fromNanos - originNanos) / 1e9, (toNanos - originNanos) / 1e9);
        }
    }

    /**
     * The longest silence between two consecutive messages that arrived within
     * [{@code fromNanos}, {@code toNanos}], counting from {@code fromNanos} to the first of them
     * and from the last of them to {@code toNanos}.
     */
    Gap longestGap(long fromNanos, long toNanos) {
        long previous = fromNanos;
        Gap longest = new Gap(fromNanos, fromNanos);
        for (Message m : messages()) {
            if (m.nanos() < fromNanos) {
                continue;
            }
            if (m.nanos() > toNanos) {
                break;
            }
            if (m.nanos() - previous > longest.toNanos() - longest.fromNanos()) {
                longest = new Gap(previous, m.nanos());
            }
            previous = m.nanos();
        }
        if (toNanos - previous > longest.toNanos() - longest.fromNanos()) {
            longest = new Gap(previous, toNanos);
        }
        return longest;
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && ended == null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "test over").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (ws != null) {
            ws.abort();
        }
    }
}
