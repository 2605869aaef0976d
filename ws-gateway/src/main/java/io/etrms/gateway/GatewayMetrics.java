package io.etrms.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
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
 *       buffered for all connections (bounded by design), plus JVM memory and threads.</li>
 * </ul>
 */
final class GatewayMetrics {

    /** The meters a sender and an endpoint of one channel update. */
    record ChannelMeters(AtomicInteger connections, Counter sent, Counter conflated, Counter slowConsumerCloses,
                         Counter records, Counter invalidRecords, AtomicLong lag) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Channel, ChannelMeters> channels = new EnumMap<>(Channel.class);
    private final Map<String, Counter> policyCloses = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> rejected = new ConcurrentHashMap<>();
    private final Counter replays;

    GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
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
                    lag));
        }
        replays = Counter.builder("etrms.gateway.alert.replays").description("alert replays from the history (since / REST)").register(registry);
    }

    private Counter counter(String name, String description, String channel) {
        return Counter.builder(name).description(description).tag("channel", channel).register(registry);
    }

    ChannelMeters channel(Channel channel) {
        return channels.get(channel);
    }

    void policyClose(Channel channel, int code) {
        policyCloses.computeIfAbsent(channel.path() + "/" + code, k -> Counter.builder("etrms.gateway.policy.closes")
                .description("connections closed for breaking a rule").tag("channel", channel.path())
                .tag("code", Integer.toString(code)).register(registry)).increment();
    }

    void upgradeRejected(int status) {
        rejected.computeIfAbsent(status, s -> Counter.builder("etrms.gateway.upgrades.rejected")
                .description("requests refused before a WebSocket upgrade or REST call").tag("status", Integer.toString(s))
                .register(registry)).increment();
    }

    void alertReplay() {
        replays.increment();
    }

    <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }
}
