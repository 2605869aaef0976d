package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.BuildInfo;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import io.etrms.testing.Promtool;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} of a real gateway: valid for Prometheus' own linter, every series of a known
 * label set there from the start at 0, and the REST and send histograms counting real calls.
 */
@ExtendWith(KafkaClusterExtension.class)
class MetricsEndpointTest {

    @Test
    void shouldServeLintCleanMetricsWithEveryCounterFromTheStart(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
            String metrics = TestGateways.get(gateway, "/metrics").body();

            Promtool.Result lint = Promtool.checkMetrics(metrics);
            assertThat(lint.ok()).as("promtool check metrics:%n%s", lint.output()).isTrue();
            assertThat(metrics)
                    .contains("etrms_build_info{service=\"ws-gateway\",version=\"" + BuildInfo.version() + "\"} 1")
                    .contains("jvm_gc_memory_allocated_bytes_total", "jvm_gc_max_data_size_bytes", "jvm_memory_used_bytes", "process_cpu_usage", "process_uptime_seconds",
                            "process_files_open_files", "jvm_threads_live_threads")
                    // counters of known label sets exist before anything happened
                    .contains("etrms_gateway_policy_closes_total{channel=\"alerts\",code=\"1009\"} 0.0")
                    .contains("etrms_gateway_policy_closes_total{channel=\"positions\",code=\"1008\"} 0.0")
                    .contains("etrms_gateway_upgrades_rejected_total{status=\"401\"} 0.0")
                    .contains("etrms_gateway_slow_consumer_closes_total{channel=\"alerts\"} 0.0")
                    .contains("etrms_gateway_send_seconds_bucket{channel=\"positions\",le=\"0.001\"} 0")
                    .contains("etrms_gateway_send_seconds_count{channel=\"positions\"} 0")
                    .contains("etrms_gateway_rest_request_seconds_count{outcome=\"server_error\",resource=\"risk-control\"} 0")
                    .contains("etrms_gateway_rest_request_seconds_bucket{outcome=\"success\",resource=\"alerts\",le=\"10.0\"} 0");
        }
    }

    @Test
    void shouldTimeRestCallsAndWebSocketSends(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        WebSocketClient client = new WebSocketClient();
        client.start();
        try (TopicWriter writer = new TopicWriter(kafka);
             GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
            // Given one portfolio snapshot on the topic
            writer.send(topics.portfolio, "main", Samples.portfolio("main", Samples.TS));
            await().atMost(Duration.ofSeconds(20)).until(() -> TestGateways.get(gateway, "/api/v1/positions?account=main").statusCode() == 200);

            // When two more REST calls are answered (one 404) and a WebSocket client gets the snapshot
            assertThat(TestGateways.get(gateway, "/api/v1/accounts?account=nobody").statusCode()).isEqualTo(404);
            assertThat(TestGateways.get(gateway, "/api/v1/nothing").statusCode()).isEqualTo(404);
            WsTestClient ws = WsTestClient.connect(client, TestGateways.ws(gateway, "positions?account=main"));
            assertThat(ws.next()).contains("\"account\":\"main\"");

            // Then each is counted once in its histogram (the polls above made positions successes)
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestGateways.get(gateway, "/metrics").body())
                    .contains("etrms_gateway_rest_request_seconds_count{outcome=\"client_error\",resource=\"accounts\"} 1")
                    .contains("etrms_gateway_rest_request_seconds_count{outcome=\"client_error\",resource=\"other\"} 1")
                    .contains("etrms_gateway_rest_request_seconds_count{outcome=\"success\",resource=\"positions\"} 1")
                    .contains("etrms_gateway_send_seconds_count{channel=\"positions\"} 1")
                    .contains("etrms_gateway_messages_sent_total{channel=\"positions\"} 1.0"));
            ws.close();
        } finally {
            client.stop();
        }
    }
}
