package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.Json;
import io.etrms.model.RiskControl;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** REST, health, readiness, metrics and the dashboard over real HTTP. */
@ExtendWith(KafkaClusterExtension.class)
class RestApiTest {

    @Test
    void shouldServeSnapshotsInTheEnvelopeAnd404ForAnUnknownAccount(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka)) {
            String positions = writer.send(topics.portfolio, "main", Samples.portfolio("main", Samples.TS));
            String accounts = writer.send(topics.accounts, "acc-2", Samples.accounts("acc-2", Samples.TS));
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                HttpResponse<String> response = TestGateways.get(gateway, "/api/v1/positions");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
                assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"message\":\"positions of main\",\"data\":" + positions + "}");

                assertThat(TestGateways.get(gateway, "/api/v1/accounts?account=acc-2").body())
                        .isEqualTo("{\"status\":\"success\",\"message\":\"accounts of acc-2\",\"data\":" + accounts + "}");

                HttpResponse<String> missing = TestGateways.get(gateway, "/api/v1/risk-metrics?account=nobody");
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(missing.body()).isEqualTo("{\"status\":\"error\",\"message\":\"no risk-metrics for account nobody\",\"data\":null}");

                assertThat(TestGateways.get(gateway, "/api/v1/orders").statusCode()).isEqualTo(404);
                assertThat(TestGateways.get(gateway, "/api/v1").statusCode()).isEqualTo(404);
                assertThat(TestGateways.get(gateway, "/api/v1/ws/positions").statusCode()).isEqualTo(404);
                assertThat(TestGateways.get(gateway, "/nothing-here").statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void shouldListAlertsOldestFirstWithSinceAndLimit(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka)) {
            List<String> alerts = new ArrayList<>();
            for (long id = 1; id <= 5; id++) {
                alerts.add(writer.send(topics.alerts, "main", Samples.alert("main", id, "*", "*")));
                writer.send(topics.alerts, "other", Samples.alert("other", id, "*", "*"));
            }
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                assertThat(TestGateways.get(gateway, "/api/v1/alerts?since=1&limit=2").body())
                        .isEqualTo("{\"status\":\"success\",\"message\":\"2 alerts of main\",\"data\":[" + alerts.get(1) + "," + alerts.get(2) + "]}");
                assertThat(TestGateways.get(gateway, "/api/v1/alerts?limit=2").body())
                        .isEqualTo("{\"status\":\"success\",\"message\":\"2 alerts of main\",\"data\":[" + alerts.get(3) + "," + alerts.get(4) + "]}");
                assertThat(TestGateways.get(gateway, "/api/v1/alerts").body())
                        .isEqualTo("{\"status\":\"success\",\"message\":\"5 alerts of main\",\"data\":[" + String.join(",", alerts) + "]}");
                assertThat(TestGateways.get(gateway, "/api/v1/alerts?since=5").body())
                        .isEqualTo("{\"status\":\"success\",\"message\":\"0 alerts of main\",\"data\":[]}");

                HttpResponse<String> bad = TestGateways.get(gateway, "/api/v1/alerts?limit=0");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).isEqualTo("{\"status\":\"error\",\"message\":\"limit must be an integer between 1 and 1000\",\"data\":null}");
                assertThat(TestGateways.get(gateway, "/api/v1/alerts?since=x").statusCode()).isEqualTo(400);
            }
        }
    }

    @Test
    void shouldPublishARiskControlRecordAndRefuseABadBody(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
            HttpResponse<String> accepted = TestGateways.post(gateway, "/api/v1/accounts/acc-7/risk-control",
                    "{\"action\":\"set_state\",\"state\":\"HALTED\",\"reason\":\"manual stop\"}");
            assertThat(accepted.statusCode()).isEqualTo(202);

            ConsumerRecord<String, RiskControl> record = readOne(kafka, topics);
            assertThat(record.key()).isEqualTo("acc-7");
            RiskControl control = record.value();
            assertThat(control).isEqualTo(new RiskControl("acc-7", "set_state", null, "HALTED", "manual stop", "anonymous", control.timestamp()));
            assertThat(accepted.body()).isEqualTo("{\"status\":\"success\",\"message\":\"published to risk-control\",\"data\":" + Json.write(control) + "}");

            HttpResponse<String> noState = TestGateways.post(gateway, "/api/v1/accounts/acc-7/risk-control", "{\"action\":\"set_state\"}");
            assertThat(noState.statusCode()).isEqualTo(400);
            assertThat(noState.body()).isEqualTo("{\"status\":\"error\",\"message\":\"set_state needs state ACTIVE, REDUCE_ONLY or HALTED, was 'null'\",\"data\":null}");

            assertThat(TestGateways.post(gateway, "/api/v1/accounts/acc-7/risk-control", "{\"action\":\"reset\",\"conditon_name\":\"x\"}").body())
                    .isEqualTo("{\"status\":\"error\",\"message\":\"unknown field conditon_name (allowed: action, condition_name, state, reason, account)\",\"data\":null}");
            assertThat(TestGateways.post(gateway, "/api/v1/accounts/acc-7/risk-control", "{not json").statusCode()).isEqualTo(400);
            assertThat(TestGateways.post(gateway, "/api/v1/accounts/acc-7/risk-control", "{\"action\":\"pause\"}").body())
                    .isEqualTo("{\"status\":\"error\",\"message\":\"unknown action 'pause' (reset, set_state or halt)\",\"data\":null}");
            assertThat(TestGateways.post(gateway, "/api/v1/accounts/acc-8/risk-control", "{\"action\":\"reset\",\"account\":\"acc-7\"}").body())
                    .isEqualTo("{\"status\":\"error\",\"message\":\"account in the body (acc-7) differs from the path (acc-8)\",\"data\":null}");
            assertThat(TestGateways.post(gateway, "/api/v1/accounts/acc-7/risk-control", "{\"action\":\"reset\",\"condition_name\":\"volatility\"}").statusCode())
                    .isEqualTo(202);
        }
    }

    @Test
    void shouldAnswerHealthReadinessMetricsAndTheDashboard(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        WebSocketClient client = new WebSocketClient();
        client.start();
        try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
            assertThat(TestGateways.get(gateway, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = TestGateways.get(gateway, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"success\",\"message\":\"ready\",\"data\":{\"status\":\"READY\"}}");

            WsTestClient ws = WsTestClient.connect(client, TestGateways.ws(gateway, "positions"));
            // The client's handshake can complete before the server has registered the connection: poll.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = TestGateways.get(gateway, "/metrics").body();
                assertThat(metrics).contains("etrms_gateway_connections{channel=\"positions\"} 1.0");
                assertThat(metrics).contains("etrms_gateway_connections{channel=\"alerts\"} 0.0");
                assertThat(metrics).contains("etrms_gateway_ready 1.0");
                assertThat(metrics).contains("etrms_gateway_kafka_lag{channel=\"positions\"} 0.0");
            });
            ws.close();

            HttpResponse<String> page = TestGateways.get(gateway, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>ETRMS</title>", "<script src=\"/dashboard.js\" defer></script>");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("script-src 'self'", "connect-src 'self'"));
            // the page's own files and the vendored chart library, from the jar
            HttpResponse<String> uplot = TestGateways.get(gateway, "/vendor/uplot/uPlot.iife.min.js");
            assertThat(uplot.statusCode()).isEqualTo(200);
            assertThat(uplot.body()).startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */");
            assertThat(uplot.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(TestGateways.get(gateway, "/vendor/uplot/LICENSE").body()).contains("The MIT License", "Leon Sorokin");
            assertThat(TestGateways.get(gateway, "/dashboard.js").body()).contains("'use strict';");
            assertThat(TestGateways.get(gateway, "/dashboard.css").statusCode()).isEqualTo(200);
            assertThat(TestGateways.get(gateway, "/vendor/uplot/../../index.html").statusCode()).isIn(400, 404);
            assertThat(TestGateways.get(gateway, "/etrms-dashboard/index.html").statusCode()).isEqualTo(404);
        } finally {
            client.stop();
        }
    }

    private static ConsumerRecord<String, RiskControl> readOne(KafkaCluster kafka, Topics topics) {
        try (KafkaConsumer<String, RiskControl> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.riskControl.keySerde().deserializer(), topics.riskControl.valueSerde())) {
            TopicPartition tp = new TopicPartition(topics.riskControl.name(), org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    "acc-7".getBytes(java.nio.charset.StandardCharsets.UTF_8))) % topics.riskControl.partitions());
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, RiskControl> record : consumer.poll(Duration.ofMillis(200))) {
                    return record;
                }
            }
            throw new AssertionError("no risk-control record within 20 s");
        }
    }
}
