package io.etrms.gateway.metrics;

import io.etrms.model.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.ChannelMeters;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's meters, served as Prometheus text on {@code /metrics}:
 * <ul>
 *   <li>{@code etrms_gateway_connections{channel}}: open WebSocket connections;</li>
 *   <li>{@code etrms_gateway_messages_sent_total{channel}}, {@code etrms_gateway_messages_conflated_total{channel}};</li>
 *   <li>{@code etrms_gateway_slow_consumer_closes_total{channel}}: closes with 1013 or for a stuck send;</li>
 *   <li>{@code etrms_gateway_policy_closes_total{channel,code}}: flood (1008), oversize (1009), idle (1001);</li>
 *   <li>{@code etrms_gateway_upgrades_rejected_total{status}}: 401, 403, 404, 400 before the upgrade;</li>
 *   <li>{@code etrms_gateway_kafka_records_total{channel}}, {@code etrms_gateway_kafka_invalid_records_total{channel}},
 *       {@code etrms_gateway_kafka_lag{channel}} (records behind the log end), {@code etrms_gateway_ready};</li>
 *   <li>{@code etrms_gateway_alert_replays_total}, {@code etrms_gateway_pending_messages}: messages
 *       buffered for all connections (bounded by design);</li>
 *   <li>{@code etrms_gateway_send_seconds{channel}}: histogram of WebSocket sends, from the write
 *       to its completion (a slow reader's sends take long);</li>
 *   <li>{@code etrms_gateway_rest_request_seconds{resource,outcome}}: histogram of REST calls
 *       ({@code resource} positions, accounts, risk-metrics, alerts, risk-control or other;
 *       {@code outcome} success, client_error, server_error);</li>
 *   <li>the process meters of {@link ServiceMetrics} ({@code jvm_*}, {@code process_*},
 *       {@code etrms_build_info}).</li>
 * </ul>
 * Every series with a known label set exists from the start, at 0.
 */
public final class GatewayMetrics {

    /** REST resources of {@code etrms_gateway_rest_request_seconds}: the channels, risk-control, changes, audit, and anything else. */
    public static final String RISK_CONTROL = "risk-control";
    /** The other changes (limits, groups, group risk-control) and the audit trail. */
    public static final String CHANGES = "changes";
    public static final String AUDIT = "audit";
    public static final String OTHER = "other";
    /** Close codes counted from the start: going away (idle), policy (flood), too big. */
    private static final List<Integer> POLICY_CODES = List.of(1001, 1008, 1009);
    /** Statuses the request guard refuses with, counted from the start. */
    private static final List<Integer> REJECT_STATUSES = List.of(400, 401, 403, 404);
    private static final List<String> OUTCOMES = List.of("success", "client_error", "server_error");

    private final PrometheusMeterRegistry registry = ServiceMetrics.create("ws-gateway");
    private final Map<Channel, ChannelMeters> channels = new EnumMap<>(Channel.class);
    private final Map<String, Counter> policyCloses = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Timer> rest = new ConcurrentHashMap<>();
    private final Counter replays;
    private final Counter adminSkipped;
    private final Map<String, Counter> changes = new ConcurrentHashMap<>();

    public GatewayMetrics() {
        for (Channel channel : Channel.values()) {
            String tag = channel.path();
            AtomicInteger connections = new AtomicInteger();
            AtomicLong lag = new AtomicLong();
            Gauge.builder("etrms.gateway.connections", connections, AtomicInteger::get)
                    .description("open WebSocket connections").tag("channel", tag).register(registry);
            Gauge.builder("etrms.gateway.kafka.lag", lag, AtomicLong::get)
                    .description("records between the gateway's position and the log end").tag("channel", tag).register(registry);
            channels.put(channel, new ChannelMeters(connections,
                    counter("etrms.gateway.messages.sent", "messages written to WebSocket clients", tag),
                    counter("etrms.gateway.messages.conflated", "state messages replaced by a newer one before sending", tag),
                    counter("etrms.gateway.slow.consumer.closes", "connections closed for not keeping up", tag),
                    counter("etrms.gateway.kafka.records", "records read from the channel's topic", tag),
                    counter("etrms.gateway.kafka.invalid.records", "records skipped as unreadable", tag),
                    lag,
                    Timer.builder("etrms.gateway.send").description("WebSocket writes (each one or more messages), from the start to the completion")
                            .tag("channel", tag).serviceLevelObjectives(ServiceMetrics.LATENCY_BUCKETS).register(registry)));
            POLICY_CODES.forEach(code -> policyCloseCounter(channel, code));
            restTimer(tag, OUTCOMES);
        }
        restTimer(RISK_CONTROL, OUTCOMES);
        restTimer(CHANGES, OUTCOMES);
        restTimer(AUDIT, OUTCOMES);
        restTimer(OTHER, OUTCOMES);
        REJECT_STATUSES.forEach(this::rejectedCounter);
        replays = Counter.builder("etrms.gateway.alert.replays").description("alert replays from the history (since / REST)").register(registry);
        adminSkipped = Counter.builder("etrms.gateway.admin.invalid.records")
                .description("records of risk-limits, account-groups, group-limits or audit skipped as unreadable").register(registry);
        for (String outcome : List.of("published", "pending_approval", "rejected", "invalid")) {
            changeCounter(outcome);
        }
    }

    private Counter changeCounter(String outcome) {
        return changes.computeIfAbsent(outcome, o -> Counter.builder("etrms.gateway.changes")
                .description("changes made through the REST API, by outcome (invalid: refused with 400, nothing published)")
                .tag("outcome", o).register(registry));
    }

    /** One change request answered with {@code outcome}: published, pending_approval, rejected or invalid. */
    public void change(String outcome) {
        changeCounter(outcome).increment();
    }

    /** One record of the admin topics skipped as unreadable. */
    public void adminRecordSkipped() {
        adminSkipped.increment();
    }

    private void restTimer(String resource, List<String> outcomes) {
        for (String outcome : outcomes) {
            rest.put(resource + "/" + outcome, Timer.builder("etrms.gateway.rest.request")
                    .description("REST calls under /api/v1, from the request to the answer")
                    .tag("resource", resource).tag("outcome", outcome)
                    .serviceLevelObjectives(ServiceMetrics.LATENCY_BUCKETS).register(registry));
        }
    }

    /** Records one REST call of {@code resource} answered with {@code status} after {@code nanos}. */
    public void restRequest(String resource, int status, long nanos) {
        String outcome = status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
        Timer timer = rest.get(resource + "/" + outcome);
        (timer != null ? timer : rest.get(OTHER + "/" + outcome)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String description, String channel) {
        return Counter.builder(name).description(description).tag("channel", channel).register(registry);
    }

    public ChannelMeters channel(Channel channel) {
        return channels.get(channel);
    }

    public void policyClose(Channel channel, int code) {
        policyCloseCounter(channel, code).increment();
    }

    private Counter policyCloseCounter(Channel channel, int code) {
        return policyCloses.computeIfAbsent(channel.path() + "/" + code, k -> Counter.builder("etrms.gateway.policy.closes")
                .description("connections closed for breaking a rule").tag("channel", channel.path())
                .tag("code", Integer.toString(code)).register(registry));
    }

    public void upgradeRejected(int status) {
        rejectedCounter(status).increment();
    }

    private Counter rejectedCounter(int status) {
        return rejected.computeIfAbsent(status, s -> Counter.builder("etrms.gateway.upgrades.rejected")
                .description("requests refused before a WebSocket upgrade or REST call").tag("status", Integer.toString(s))
                .register(registry));
    }

    public void alertReplay() {
        replays.increment();
    }

    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
