package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    @Test
    void shouldRenameKafkaCountGaugesAsPrometheusWantsThem() {
        assertThat(ServiceMetrics.prometheusName("kafka.producer.connection.count", Meter.Type.GAUGE)).isEqualTo("kafka.producer.connections");
        assertThat(ServiceMetrics.prometheusName("kafka.consumer.assigned.partitions.count", Meter.Type.GAUGE))
                .isEqualTo("kafka.consumer.assigned.partitions.number");
        assertThat(ServiceMetrics.prometheusName("kafka.stream.thread.commit.total", Meter.Type.COUNTER)).isEqualTo("kafka.stream.thread.commit.total");
    }

    @Test
    void shouldLeaveOutKafkaMetersWithAUnitInTheirNameAndDescribeTheRest() {
        PrometheusMeterRegistry registry = ServiceMetrics.create("test");
        Gauge.builder("kafka.producer.io.time.ns.avg", () -> 1.0).register(registry);
        Gauge.builder("kafka.producer.connection.count", () -> 2.0).register(registry);

        String scrape = registry.scrape();

        assertThat(scrape).doesNotContain("io_time").doesNotContain("system_cpu_count").doesNotContain("process_cpu_time")
                .contains("# HELP kafka_producer_connections kafka producer connections\n", "kafka_producer_connections 2.0")
                .contains("etrms_build_info{service=\"test\",version=\"" + BuildInfo.version() + "\"} 1");
    }
}
