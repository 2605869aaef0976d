package io.etrms.ingest;

import io.etrms.http.HttpLimits;
import io.etrms.model.EtrmsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration keys of the ingest service and their defaults. Layered like every ETRMS
 * service ({@link EtrmsConfig}): these defaults, then a properties file, then environment variables
 * ({@code ETRMS_INGEST_HTTP_PORT} → {@code etrms.ingest.http.port}, {@code KAFKA_*} → Kafka client
 * settings), then command-line flags.
 */
public final class IngestConfig {

    /** HTTP port of {@code serve} (0 picks a free port). */
    public static final String HTTP_PORT = "etrms.ingest.http.port";
    /** The prefix of the HTTP keys, those of {@link HttpLimits} included. */
    public static final String HTTP_PREFIX = "etrms.ingest.http.";
    /**
     * Interface {@code serve} listens on; unset: 127.0.0.1 without a token, 0.0.0.0 with one. Any
     * other address without a token needs {@link #HTTP_ALLOW_REMOTE_UNAUTHENTICATED}.
     */
    public static final String HTTP_HOST = "etrms.ingest.http.host";
    /** true: listen on a non-loopback address without a token (anyone reaching the port may write fills). */
    public static final String HTTP_ALLOW_REMOTE_UNAUTHENTICATED = "etrms.ingest.http.allow.remote.unauthenticated";
    /** Browser origins allowed to post (see {@code OriginPolicy}); ingest serves no page, so same-origin admits none. */
    public static final String HTTP_ALLOWED_ORIGINS = "etrms.ingest.http.allowed.origins";
    /** Ingest requests handled at once; more wait (without a thread) up to {@link #HTTP_MAX_QUEUE_MS}, then get 503. */
    public static final String HTTP_MAX_CONCURRENT_REQUESTS = "etrms.ingest.http.max.concurrent.requests";
    /** How long an ingest request waits for a free slot before 503. */
    public static final String HTTP_MAX_QUEUE_MS = "etrms.ingest.http.max.queue.ms";
    /** Largest accepted request body in bytes; larger ones get 413. */
    public static final String HTTP_MAX_BODY_BYTES = "etrms.ingest.http.max.body.bytes";
    /** Largest number of records in one request; more gets 413. */
    public static final String HTTP_MAX_ITEMS = "etrms.ingest.http.max.items";
    /** How long a request waits for Kafka's acknowledgement before answering 503. */
    public static final String HTTP_ACK_TIMEOUT_MS = "etrms.ingest.http.ack.timeout.ms";
    /** A bearer token HTTP ingest requires ({@code Authorization: Bearer ...}); unset: no authentication. */
    public static final String HTTP_TOKEN = "etrms.ingest.http.token";
    /** Whether ingest creates missing input topics (fills, prices, transfers, dead-letters). */
    public static final String CREATE_TOPICS = MarketSimulator.CREATE_TOPICS;

    public static final int DEFAULT_HTTP_PORT = 8001;

    private IngestConfig() {
    }

    public static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(HTTP_PORT, Integer.toString(DEFAULT_HTTP_PORT));
        defaults.put(HTTP_HOST, "");
        defaults.put(HTTP_ALLOW_REMOTE_UNAUTHENTICATED, "false");
        defaults.put(HTTP_ALLOWED_ORIGINS, "same-origin");
        defaults.put(HTTP_MAX_CONCURRENT_REQUESTS, "64");
        defaults.put(HTTP_MAX_QUEUE_MS, "5000");
        defaults.putAll(HttpLimits.defaults(HTTP_PREFIX, 1_000, 100, Duration.ofSeconds(30)));
        defaults.put(HTTP_MAX_BODY_BYTES, Integer.toString(1024 * 1024));
        defaults.put(HTTP_MAX_ITEMS, "10000");
        defaults.put(HTTP_ACK_TIMEOUT_MS, "30000");
        defaults.put(CREATE_TOPICS, "true");
        return defaults;
    }

    /** Defaults, then {@code file} (may be null), then the environment, then {@code flags}. */
    public static EtrmsConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        return EtrmsConfig.load(defaults(), file, env, flags);
    }

    /** {@code config} with every ingest default filled in where it has no value. */
    static EtrmsConfig withDefaults(EtrmsConfig config) {
        EtrmsConfig out = config;
        for (Map.Entry<String, String> e : defaults().entrySet()) {
            if (config.get(e.getKey(), null) == null) {
                out = out.with(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
