package io.etrms.ingest;

import io.etrms.model.EtrmsConfig;
import java.nio.file.Path;
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
    /** Interface {@code serve} listens on. */
    public static final String HTTP_HOST = "etrms.ingest.http.host";
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
        defaults.put(HTTP_HOST, "0.0.0.0");
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
