package io.etrms.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The HTTP ingest's meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code etrms.ingest.http.records.accepted} {type} ({@code etrms_ingest_http_records_accepted_total}):
 *       records Kafka acknowledged;</li>
 *   <li>{@code etrms.ingest.http.records.rejected} {type} ({@code etrms_ingest_http_records_rejected_total}):
 *       records refused with 400 for breaking a rule;</li>
 *   <li>{@code etrms.ingest.http.requests} {status} ({@code etrms_ingest_http_requests_total}): answered
 *       ingest requests by HTTP status.</li>
 * </ul>
 */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Map<InputKind, Counter> accepted = new EnumMap<>(InputKind.class);
    private final Map<InputKind, Counter> rejected = new EnumMap<>(InputKind.class);

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (InputKind kind : InputKind.values()) {
            accepted.put(kind, Counter.builder("etrms.ingest.http.records.accepted").tag("type", kind.label())
                    .description("Records accepted by HTTP ingest and acknowledged by Kafka").register(registry));
            rejected.put(kind, Counter.builder("etrms.ingest.http.records.rejected").tag("type", kind.label())
                    .description("Records HTTP ingest rejected with 400").register(registry));
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    void accepted(InputKind kind, int count) {
        accepted.get(kind).increment(count);
    }

    void rejected(InputKind kind, int count) {
        rejected.get(kind).increment(count);
    }

    void answered(int status) {
        Counter.builder("etrms.ingest.http.requests").tag("status", Integer.toString(status))
                .description("HTTP ingest answers by status").register(registry).increment();
    }

    public double rejectedCount(InputKind kind) {
        return rejected.get(kind).count();
    }

    public double acceptedCount(InputKind kind) {
        return accepted.get(kind).count();
    }

    /** Prometheus text, or null when the registry is not a Prometheus one. */
    String scrape() {
        return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : null;
    }
}
