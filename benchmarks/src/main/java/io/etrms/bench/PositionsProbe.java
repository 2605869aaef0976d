package io.etrms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Json;
import io.etrms.model.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client (the JDK's) on {@code /api/v1/ws/positions?account=...} for one latency
 * probe account. Each probe fill is a buy of 1 unit, so a position's size counts the fills
 * applied to it; when a message shows a position at size s for the first time, the fills that
 * took it there are reflected, and their latency is logged at that moment.
 */
public final class PositionsProbe implements WebSocket.Listener, AutoCloseable {

    private final int account;
    private final FillLatencyLog log;
    private final int booked;
    private final Map<String, Integer> bookIndex = new HashMap<>();
    private final long[] lastSize;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final WebSocket socket;

    public PositionsProbe(HttpClient http, int gatewayPort, TradeWorkload workload, int account, FillLatencyLog log) throws Exception {
        this.account = account;
        this.log = log;
        this.booked = workload.instrumentsPerAccount();
        for (int j = 0; j < booked; j++) {
            bookIndex.put(workload.bookKey(account, j), j);
        }
        this.lastSize = new long[booked];
        URI uri = URI.create("ws://localhost:" + gatewayPort + "/api/v1/ws/positions?account=" + TradeWorkload.account(account));
        this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this).get(15, TimeUnit.SECONDS);
    }

    public long messages() {
        return messages.get();
    }

    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = System.nanoTime();
            String text = partial.toString();
            partial.setLength(0);
            messages.incrementAndGet();
            try {
                onSnapshot(Json.MAPPER.readTree(text), now);
            } catch (Exception e) {
                unreadable.incrementAndGet();
            }
        }
        webSocket.request(1);
        return null;
    }

    private void onSnapshot(JsonNode portfolio, long now) {
        JsonNode exchanges = portfolio.path("exchanges");
        for (Iterator<Map.Entry<String, JsonNode>> it = exchanges.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> exchange = it.next();
            for (JsonNode position : exchange.getValue().path("positions")) {
                Integer j = bookIndex.get(Keys.instrument(exchange.getKey(), position.path("symbol").asText()));
                if (j == null) {
                    continue;
                }
                long size = position.path("size").decimalValue().longValue();
                for (long s = lastSize[j] + 1; s <= size; s++) {
                    long sequence = (s - 1) * booked + j;
                    log.arrived(log.fillNumber(account, sequence), now);
                }
                lastSize[j] = Math.max(lastSize[j], size);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        socket.abort();
    }
}
