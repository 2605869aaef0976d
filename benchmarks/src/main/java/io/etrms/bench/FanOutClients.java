package io.etrms.bench;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Thousands of WebSocket clients in this JVM on one Jetty {@link WebSocketClient}: client i
 * subscribes to {@code risk-metrics} when i is even and to {@code alerts} when odd, for one
 * account. Every received message is counted and its delivery latency (receive time − the
 * {@code bench_sent_us} the publisher wrote into it, both this JVM's wall clock in µs) recorded.
 */
public final class FanOutClients implements AutoCloseable {

    public static final String SENT_FIELD = "bench_sent_us";
    private static final String SENT_MARKER = "\"" + SENT_FIELD + "\":";

    private final WebSocketClient client;
    private final List<Session> sessions = new ArrayList<>();
    private final LongAdder messages = new LongAdder();
    private final AtomicLong unstamped = new AtomicLong();
    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toMicros(5), 3);
    private final ConcurrentHashMap<Integer, LongAdder> closesByCode = new ConcurrentHashMap<>();
    private final AtomicLong connectFailures = new AtomicLong();
    private int riskMetricsClients;
    private int alertClients;

    public FanOutClients() throws Exception {
        HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(100_000);
        http.setMaxRequestsQueuedPerDestination(100_000);
        http.setConnectTimeout(30_000);
        this.client = new WebSocketClient(http);
        client.setIdleTimeout(Duration.ofMinutes(10));
        client.setMaxTextMessageSize(1 << 20);
        client.start();
    }

    public int size() {
        return sessions.size();
    }

    public int riskMetricsClients() {
        return riskMetricsClients;
    }

    public int alertClients() {
        return alertClients;
    }

    /**
     * Opens clients until there are {@code total}, at most {@code inFlight} handshakes at a time.
     *
     * @return seconds it took
     */
    public double connectUpTo(int total, String baseUri, String account, int inFlight, Duration timeout) throws Exception {
        long start = System.nanoTime();
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<Session>> pending = new ArrayList<>();
        for (int i = sessions.size(); i < total; i++) {
            String channel = i % 2 == 0 ? "risk-metrics" : "alerts";
            if (i % 2 == 0) {
                riskMetricsClients++;
            } else {
                alertClients++;
            }
            if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("connecting clients stalled at " + i);
            }
            CompletableFuture<Session> f = client.connect(new Listener(), URI.create(baseUri + channel + "?account=" + account));
            f.whenComplete((s, e) -> {
                permits.release();
                if (e != null) {
                    connectFailures.incrementAndGet();
                }
            });
            pending.add(f);
        }
        for (CompletableFuture<Session> f : pending) {
            try {
                sessions.add(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                // counted in connectFailures
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    public long connectFailures() {
        return connectFailures.get();
    }

    /** Starts a measurement window: counters and the latency histogram start from zero. */
    public void resetWindow() {
        messages.reset();
        latency.reset();
    }

    public long messages() {
        return messages.sum();
    }

    /** The latency histogram (µs) since {@link #resetWindow}. */
    public Histogram latencySinceReset() {
        return latency.getIntervalHistogram();
    }

    public long closedByServer() {
        return closesByCode.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public String closeCodes() {
        return closesByCode.isEmpty() ? "-" : closesByCode.toString();
    }

    public long openSessions() {
        return sessions.stream().filter(Session::isOpen).count();
    }

    /** Closes every client (the server sees a normal close). */
    public void closeAll() throws InterruptedException {
        for (Session s : sessions) {
            s.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && sessions.stream().anyMatch(Session::isOpen)) {
            Thread.sleep(50);
        }
        sessions.forEach(Session::disconnect);
        sessions.clear();
        riskMetricsClients = 0;
        alertClients = 0;
        closesByCode.clear();
        connectFailures.set(0);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The {@code bench_sent_us} value in a message, -1 if absent. */
    static long sentMicros(String text) {
        int at = text.indexOf(SENT_MARKER);
        if (at < 0) {
            return -1;
        }
        int i = at + SENT_MARKER.length();
        long v = 0;
        boolean any = false;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            v = v * 10 + (text.charAt(i++) - '0');
            any = true;
        }
        return any ? v : -1;
    }

    @Override
    public void close() throws Exception {
        closeAll();
        client.stop();
    }

    /** One client connection (public: Jetty calls it through method handles). */
    public final class Listener implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            long now = nowMicros();
            messages.increment();
            long sent = sentMicros(message);
            if (sent < 0) {
                unstamped.incrementAndGet();
                return;
            }
            latency.recordValue(Math.max(0, Math.min(now - sent, TimeUnit.MINUTES.toMicros(5))));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // A connection torn down while closing all clients; closes are what is counted.
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            if (statusCode != 1000) {
                closesByCode.computeIfAbsent(statusCode, c -> new LongAdder()).increment();
            }
        }
    }
}
