package io.etrms.http;

import io.etrms.model.EtrmsConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits of one HTTP port, read from the keys under one prefix ({@code etrms.http.} for the
 * gateway, {@code etrms.ingest.http.} for ingest) so both services spell them alike:
 *
 * @param maxConnections      TCP connections open at once on the port; beyond it Jetty stops
 *                            accepting ({@code NetworkConnectionLimit}) until one closes
 * @param maxConnectionsPerIp TCP connections open at once from one client address; one more is closed at once
 * @param idleTimeout         a connection with no byte in or out for this long is closed (Jetty's idle timeout)
 * @param headerTimeout       a connection with no request in progress must deliver a whole request
 *                            head within this time (of opening, or of its previous response)
 * @param bodyTimeout         a request must have read its whole body within this time of its start
 * @param minRequestDataRate  bytes per second a request body must keep up once it started
 *                            (Jetty's {@code MinimumDataRateHandler}; 0: off)
 * @param maxRequestHeaderBytes largest request head (request line and headers); larger gets 431
 */
public record HttpLimits(
        int maxConnections,
        int maxConnectionsPerIp,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        long minRequestDataRate,
        int maxRequestHeaderBytes) {

    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String IDLE_TIMEOUT_MS = "idle.timeout.ms";
    public static final String HEADER_TIMEOUT_MS = "header.timeout.ms";
    public static final String BODY_TIMEOUT_MS = "body.timeout.ms";
    public static final String MIN_REQUEST_DATA_RATE = "min.request.data.rate";
    public static final String MAX_REQUEST_HEADER_BYTES = "max.request.header.bytes";

    /** The defaults of one service's port, keyed under {@code prefix}. */
    public static Map<String, String> defaults(String prefix, int maxConnections, int maxConnectionsPerIp, Duration bodyTimeout) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(prefix + MAX_CONNECTIONS, Integer.toString(maxConnections));
        d.put(prefix + MAX_CONNECTIONS_PER_IP, Integer.toString(maxConnectionsPerIp));
        d.put(prefix + IDLE_TIMEOUT_MS, "30000");
        d.put(prefix + HEADER_TIMEOUT_MS, "10000");
        d.put(prefix + BODY_TIMEOUT_MS, Long.toString(bodyTimeout.toMillis()));
        d.put(prefix + MIN_REQUEST_DATA_RATE, "256");
        d.put(prefix + MAX_REQUEST_HEADER_BYTES, "8192");
        return d;
    }

    /** Reads the limits under {@code prefix}; the service has layered its defaults into {@code config}. */
    public static HttpLimits from(EtrmsConfig config, String prefix) {
        return new HttpLimits(
                positive(config, prefix + MAX_CONNECTIONS),
                positive(config, prefix + MAX_CONNECTIONS_PER_IP),
                millis(config, prefix + IDLE_TIMEOUT_MS),
                millis(config, prefix + HEADER_TIMEOUT_MS),
                millis(config, prefix + BODY_TIMEOUT_MS),
                Math.max(0, config.getLong(prefix + MIN_REQUEST_DATA_RATE)),
                positive(config, prefix + MAX_REQUEST_HEADER_BYTES));
    }

    private static int positive(EtrmsConfig config, String key) {
        int value = config.getInt(key);
        if (value < 1) {
            throw new IllegalArgumentException("configuration " + key + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration millis(EtrmsConfig config, String key) {
        long value = config.getLong(key);
        if (value < 100) {
            throw new IllegalArgumentException("configuration " + key + " must be at least 100 (ms), was " + value);
        }
        return Duration.ofMillis(value);
    }
}
