package io.etrms.streams.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-app's health endpoint, on the JDK's built-in HTTP server (the service has no web
 * framework and needs none for two URLs): {@code GET /healthz} answers 200
 * {@code {"status":"UP","stages":{"instrument":"RUNNING","account":"REBALANCING"}}} while every
 * stage is RUNNING or REBALANCING, else 503 with the same body and {@code "status":"DOWN"} (see
 * {@link StageStates}); {@code GET /metrics} answers the Prometheus text exposition when the
 * server was given one. {@code HEAD} answers the status only; other methods 405, other paths 404.
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    public static final String PATH = "/healthz";
    public static final String METRICS_PATH = "/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} (port 0: any free port, see {@link #port()}) and starts serving.
     *
     * @param states the stages' states, read at every request
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static HealthServer start(InetSocketAddress address, Supplier<StageStates> states) {
        return start(address, states, null);
    }

    /**
     * As {@link #start(InetSocketAddress, Supplier)}, also serving {@code GET /metrics}.
     *
     * @param metrics the Prometheus text exposition, read at every request (null: no {@code /metrics})
     */
    public static HealthServer start(InetSocketAddress address, Supplier<StageStates> states, Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the health endpoint to " + address, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "etrms-streams-health");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, states, metrics));
        server.start();
        HealthServer health = new HealthServer(server, executor);
        log.info("health endpoint on http://{}:{}{}", address.getHostString(), health.port(), PATH);
        return health;
    }

    private static void handle(HttpExchange exchange, Supplier<StageStates> states, Supplier<String> metrics) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            boolean metricsPath = metrics != null && METRICS_PATH.equals(path);
            if (!PATH.equals(path) && !metricsPath) {
                send(exchange, 404, "{\"status\":\"error\",\"message\":\"not found\"}", method);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "{\"status\":\"error\",\"message\":\"method not allowed\"}", method);
                return;
            }
            if (metricsPath) {
                send(exchange, 200, PROMETHEUS_TEXT, metrics.get(), method);
                return;
            }
            StageStates now = states.get();
            send(exchange, now.httpStatus(), now.toJson(), method);
        } catch (RuntimeException e) {
            log.warn("health request failed", e);
            throw e;
        }
    }

    private static void send(HttpExchange exchange, int status, String json, String method) throws IOException {
        send(exchange, status, "application/json", json, method);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text, String method) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once (a health probe needs no grace period). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
