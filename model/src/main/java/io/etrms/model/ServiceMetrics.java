package io.etrms.model;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The Prometheus registry every ETRMS service starts with: JVM memory, GC, threads and class
 * loading, process CPU, open files and uptime ({@code jvm_*}, {@code process_*},
 * {@code system_cpu_*}), and {@code etrms_build_info{service,version} 1}. Each service adds its own
 * meters and serves {@link PrometheusMeterRegistry#scrape()} on {@code /metrics}.
 */
public final class ServiceMetrics {

    /**
     * Histogram buckets of every ETRMS latency in seconds (REST requests, sends, processing): from
     * 1 ms to 10 s, so one set of dashboard queries fits all of them.
     */
    public static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static final Set<String> LINT_FAILING = Set.of("system.cpu.count", "process.cpu.time");

    /**
     * Kafka's client and Streams metrics (bound through Micrometer's {@code KafkaClientMetrics} /
     * {@code KafkaStreamsMetrics} as {@code kafka.*}) made to follow Prometheus' rules: a gauge
     * ending in {@code count} is renamed ({@code connection-count} becomes {@code connections}), a
     * missing description becomes the name in words, and the few meters with a unit in their name
     * ({@code io-time-ns}, {@code txn-commit-time-ns}, {@code start-time-ms}: Prometheus wants
     * seconds, Kafka reports nanos or millis) are left out. Kafka's {@code *-latency-avg/max}
     * carry no unit in their name: they are milliseconds, as Kafka reports them.
     */
    static final MeterFilter KAFKA_NAMES = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().startsWith("kafka.") && hasUnitPart(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            if (!id.getName().startsWith("kafka.")) {
                return id;
            }
            String name = prometheusName(id.getName(), id.getType());
            String description = id.getDescription() == null || id.getDescription().isBlank()
                    ? name.replace('.', ' ') : id.getDescription();
            if (name.equals(id.getName()) && description.equals(id.getDescription())) {
                return id;
            }
            return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
        }
    };

    private static final Set<String> UNIT_PARTS = Set.of("ns", "us", "ms");

    private static boolean hasUnitPart(String name) {
        return Arrays.stream(name.split("\\.")).anyMatch(UNIT_PARTS::contains);
    }

    /** {@code kafka.producer.connection.count} (a gauge) → {@code kafka.producer.connections}. */
    static String prometheusName(String name, Meter.Type type) {
        List<String> parts = new ArrayList<>(Arrays.asList(name.split("\\.")));
        int last = parts.size() - 1;
        if (last > 0 && parts.get(last).equals("count") && type != Meter.Type.TIMER && type != Meter.Type.DISTRIBUTION_SUMMARY) {
            parts.remove(last);
            String counted = parts.get(last - 1);
            parts.set(last - 1, counted.endsWith("s") ? counted + ".number" : counted + "s");
        }
        return String.join(".", parts);
    }

    private ServiceMetrics() {
    }

    /** A new registry with the process meters and the build info of {@code service} (streams-app, ws-gateway, ingest). */
    public static PrometheusMeterRegistry create(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two of ProcessorMetrics' names break Prometheus' naming rules (promtool check metrics):
        // system_cpu_count (a gauge ending in _count) and process_cpu_time_ns_total (a unit
        // abbreviation). process_cpu_usage and system_cpu_usage say what they would.
        registry.config().meterFilter(MeterFilter.deny(id -> LINT_FAILING.contains(id.getName())));
        registry.config().meterFilter(KAFKA_NAMES);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("etrms.build.info", () -> 1)
                .description("the running build: 1, labelled with the service and its version")
                .tag("service", service).tag("version", BuildInfo.version())
                .register(registry);
        return registry;
    }
}
