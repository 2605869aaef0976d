package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.BuildInfo;
import io.etrms.model.JsonSerde;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import io.etrms.testing.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} of a real HTTP ingest on a real broker: lint-clean for promtool, the process
 * and producer meters there, every known series from the start, and one accepted request counted
 * once in the request and send histograms. The record it wrote carries the content headers.
 */
@ExtendWith(KafkaClusterExtension.class)
class IngestMetricsEndpointTest {

    private static final String TICK = "{\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"price\":65000.5,\"timestamp\":1763971200000}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeLintCleanMetricsAndTimeRequestsAndSends(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (IngestServer server = IngestServer.start(kafka.config(topics, Map.of(IngestConfig.HTTP_PORT, "0", IngestConfig.HTTP_HOST, "127.0.0.1")))) {
            String before = get(server, "/metrics").body();
            Promtool.Result lint = Promtool.checkMetrics(before);
            assertThat(lint.ok()).as("promtool check metrics:%n%s", lint.output()).isTrue();
            assertThat(before)
                    .contains("etrms_build_info{service=\"ingest\",version=\"" + BuildInfo.version() + "\"} 1")
                    .contains("jvm_gc_memory_allocated_bytes_total", "jvm_gc_max_data_size_bytes", "process_cpu_usage", "kafka_producer_")
                    .contains("etrms_ingest_http_requests_total{status=\"503\"} 0.0")
                    .contains("etrms_ingest_http_records_rejected_total{type=\"transfers\"} 0.0")
                    .contains("etrms_ingest_kafka_send_seconds_count 0")
                    .contains("etrms_ingest_http_request_seconds_count{outcome=\"success\",type=\"prices\"} 0");

            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/ingest/prices"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TICK)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String after = get(server, "/metrics").body();
                assertThat(after)
                        .contains("etrms_ingest_http_request_seconds_count{outcome=\"success\",type=\"prices\"} 1")
                        .contains("etrms_ingest_kafka_send_seconds_count 1")
                        .contains("etrms_ingest_http_requests_total{status=\"202\"} 1.0");
                assertThat(Promtool.checkMetrics(after).ok()).isTrue();
            });
            try (TopicRecords<PriceTick> prices = new TopicRecords<>(kafka.bootstrapServers(), topics.prices)) {
                ConsumerRecord<String, PriceTick> record = prices.awaitExactly(1).get(0);
                assertThat(new String(record.headers().lastHeader(JsonSerde.CONTENT_TYPE_HEADER).value(), StandardCharsets.UTF_8))
                        .isEqualTo("application/json");
                assertThat(new String(record.headers().lastHeader(JsonSerde.SCHEMA_VERSION_HEADER).value(), StandardCharsets.UTF_8))
                        .isEqualTo("1");
                assertThat(record.headers().toArray()).hasSize(2);
            }
        }
    }

    private HttpResponse<String> get(IngestServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
