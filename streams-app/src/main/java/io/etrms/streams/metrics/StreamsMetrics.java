package io.etrms.streams.metrics;

import io.etrms.model.ServiceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The streams-app's meters, served as Prometheus text on the health port ({@code GET /metrics}):
 * the process meters of {@link ServiceMetrics} ({@code jvm_*}, {@code process_*},
 * {@code etrms_build_info{service="streams-app"}}) and every Kafka Streams, consumer, producer and
 * admin metric of each stage through Micrometer's {@link KafkaStreamsMetrics}
 * ({@code kafka_stream_*}, {@code kafka_consumer_*}, ... labelled {@code stage} = instrument or
 * account, plus Kafka's own {@code client_id}, {@code thread_id}, {@code task_id} labels).
 *
 * <p>The topology's own meters ({@code etrms_dead_letters_total}, {@code etrms_breaker_trips_total},
 * ...) go into {@link #registry()}: {@code StreamsMain} creates this object before the stages start,
 * so whatever builds the stages can be handed the registry and register its meters at build time.
 */
public final class StreamsMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = ServiceMetrics.create("streams-app");
    private final List<KafkaStreamsMetrics> bound = new ArrayList<>();

    /** The registry every meter of this process goes into. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Binds the metrics of one stage, labelled {@code stage=<stage>}. */
    public synchronized void bind(String stage, KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of("stage", stage));
        metrics.bindTo(registry);
        bound.add(metrics);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        bound.forEach(KafkaStreamsMetrics::close);
        bound.clear();
    }
}
