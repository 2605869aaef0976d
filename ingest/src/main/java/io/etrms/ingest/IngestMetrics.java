package io.etrms.ingest;

import io.etrms.model.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP ingest's meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code etrms.ingest.http.records.accepted} {type} ({@code etrms_ingest_http_records_accepted_total}):
 *       records Kafka acknowledged;</li>
 *   <li>{@code etrms.ingest.http.records.rejected} {type} ({@code etrms_ingest_http_records_rejected_total}):
 *       records refused with 400 for breaking a rule;</li>
 *   <li>{@code etrms.ingest.http.requests} {status} ({@code etrms_ingest_http_requests_total}): answered
 *       ingest requests by HTTP status;</li>
 *   <li>{@code etrms.ingest.http.request} {type,outcome} ({@code etrms_ingest_http_request_seconds}):
 *       histogram of requests, from arrival to the answer written ({@code type} fills, prices,
 *       transfers or other; {@code outcome} success, client_error, server_error);</li>
 *   <li>{@code etrms.ingest.kafka.send} ({@code etrms_ingest_kafka_send_seconds}): histogram of record
 *       sends, from the hand-over to Kafka's acknowledgement.</li>
 * </ul>
 * Every series with a known label set exists from the start, at 0. {@link #create()} adds the
 * process meters of {@link ServiceMetrics}.
 */
public final class IngestMetrics {

    static final String OTHER = "other";
    /** Statuses the handler answers with, counted from the start. */
    private static final List<Integer> STATUSES = List.of(202, 400, 401, 404, 405, 413, 503);
    private static final List<String> OUTCOMES = List.of("success", "client_error", "server_error");

    private final MeterRegistry registry;
    private final Map<InputKind, Counter> accepted = new EnumMap<>(InputKind.class);
    private final Map<InputKind, Counter> rejected = new EnumMap<>(InputKind.class);
    private final Map<Integer, Counter> answers = new ConcurrentHashMap<>();
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Timer sends;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (InputKind kind : InputKind.values()) {
            accepted.put(kind, Counter.builder("etrms.ingest.http.records.accepted").tag("type", kind.label())
                    .description("Records accepted by HTTP ingest and acknowledged by Kafka").register(registry));
            rejected.put(kind, Counter.builder("etrms.ingest.http.records.rejected").tag("type", kind.label())
                    .description("Records HTTP ingest rejected with 400").register(registry));
            requestTimers(kind.label());
        }
        requestTimers(OTHER);
        STATUSES.forEach(this::answerCounter);
        sends = Timer.builder("etrms.ingest.kafka.send").description("record sends, from the hand-over to Kafka's acknowledgement")
                .serviceLevelObjectives(ServiceMetrics.LATENCY_BUCKETS).register(registry);
    }

    /** Meters on a new registry with the process meters and {@code etrms_build_info{service="ingest"}}. */
    public static IngestMetrics create() {
        return new IngestMetrics(ServiceMetrics.create("ingest"));
    }

    private void requestTimers(String type) {
        for (String outcome : OUTCOMES) {
            requests.put(type + "/" + outcome, Timer.builder("etrms.ingest.http.request")
                    .description("HTTP ingest requests, from arrival to the answer written")
                    .tag("type", type).tag("outcome", outcome)
                    .serviceLevelObjectives(ServiceMetrics.LATENCY_BUCKETS).register(registry));
        }
    }

    private Counter answerCounter(int status) {
        return answers.computeIfAbsent(status, s -> Counter.builder("etrms.ingest.http.requests").tag("status", Integer.toString(s))
                .description("HTTP ingest answers by status").register(registry));
    }

    /** Records one request to {@code path} answered with {@code status} after {@code nanos}. */
    void request(String path, int status, long nanos) {
        String type = path.startsWith(IngestHandler.PATH_PREFIX) ? path.substring(IngestHandler.PATH_PREFIX.length()) : OTHER;
        String outcome = status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
        Timer timer = requests.get(type + "/" + outcome);
        (timer != null ? timer : requests.get(OTHER + "/" + outcome)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The timer of Kafka acknowledgements, for the {@link IngestProducer}. */
    Timer sends() {
        return sends;
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
        answerCounter(status).increment();
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
