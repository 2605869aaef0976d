package io.etrms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.gateway.GatewayServer;
import io.etrms.model.DeadLetter;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.JsonSerde;
import io.etrms.model.PriceTick;
import io.etrms.model.Topic;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import io.etrms.streams.StreamsApp;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Fill and price in on a real broker, through both stages, out to a real WebSocket client. */
@ExtendWith(KafkaClusterExtension.class)
class EndToEndTest {

    private static final String BTC = "BTC/USDT:USDT";
    /** Event time: a minute ago, a live feed. */
    private static final long T = System.currentTimeMillis() - 60_000;

    @Test
    void shouldPushTheHandComputedPositionToAWebSocketClientAndSurviveABrokenFill(KafkaCluster kafka, @TempDir Path state) throws Exception {
        Topics topics = kafka.newTopics();
        EtrmsConfig config = kafka.config(topics, Map.of(
                StreamsApp.APPLICATION_ID, kafka.uniqueId("e2e"),
                StreamsApp.STATE_DIR, state.toString(),
                "etrms.http.port", "0"));

        try (StreamsApp streams = StreamsApp.start(config); GatewayServer gateway = GatewayServer.start(config)) {
            await().atMost(Duration.ofSeconds(60)).until(streams::isRunning);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                send(producer, topics.transfers.name(), "main", new Transfer("d1", "main", "binance", new BigDecimal("10000"), T));
                send(producer, topics.prices.name(), "binance|" + BTC, new PriceTick("binance", BTC, new BigDecimal("100"), T + 1));
                producer.send(new ProducerRecord<>(topics.fills.name(), "binance|" + BTC, "{\"fill_id\": broken".getBytes(StandardCharsets.UTF_8))).get();
                send(producer, topics.fills.name(), "binance|" + BTC, new Fill("f1", "main", "binance", BTC, "buy",
                        new BigDecimal("2"), new BigDecimal("100"), new BigDecimal("0.5"), T + 2));
                send(producer, topics.prices.name(), "binance|" + BTC, new PriceTick("binance", BTC, new BigDecimal("105.25"), T + 3));
            }

            try (WebSocketRecorder client = new WebSocketRecorder("ws://localhost:" + gateway.port() + "/api/v1/ws/positions?account=main")) {
                client.send("subscribe");
                // 2 bought at 100, marked at 105.25: unrealized = (105.25 − 100) × 2 = 10.5; value = 2 × 105.25 = 210.5
                JsonNode last = await().atMost(Duration.ofSeconds(60)).until(() -> lastMessage(client),
                        m -> m != null && m.path("total_unrealized_pnl").decimalValue().compareTo(new BigDecimal("10.5")) == 0);
                assertThat(last.path("type").asText()).isEqualTo("positions");
                assertThat(last.path("account").asText()).isEqualTo("main");
                assertThat(last.path("total_position_value").decimalValue()).isEqualByComparingTo("210.5");
                JsonNode position = last.path("exchanges").path("binance").path("positions").get(0);
                assertThat(position.path("symbol").asText()).isEqualTo(BTC);
                assertThat(position.path("size").decimalValue()).isEqualByComparingTo("2");
                assertThat(position.path("entry_price").decimalValue()).isEqualByComparingTo("100");
                assertThat(position.path("current_price").decimalValue()).isEqualByComparingTo("105.25");
                assertThat(position.path("unrealized_pnl").decimalValue()).isEqualByComparingTo("10.5");
                assertThat(position.path("realized_pnl").decimalValue()).isEqualByComparingTo("-0.5"); // the fee
                assertThat(position.path("notional").decimalValue()).isEqualByComparingTo("210.5");
                assertThat(last.path("exchanges").path("binance").path("total_position_value").decimalValue()).isEqualByComparingTo("210.5");
            }

            List<DeadLetter> letters = readAll(kafka, topics.deadLetters.name());
            assertThat(letters).singleElement().satisfies(d -> {
                assertThat(d.sourceTopic()).isEqualTo(topics.fills.name());
                assertThat(d.error()).startsWith("unparsable JSON");
                assertThat(d.payload()).isEqualTo("{\"fill_id\": broken");
            });

            // Every record the topology produced is labelled (the inputs above had no headers):
            // content-type and the topic's schema version, once each
            for (Topic<?> topic : List.of(topics.positions, topics.portfolio, topics.accounts, topics.riskMetrics, topics.deadLetters)) {
                assertThat(kafka.readToEnd(topic.name(), IsolationLevel.READ_COMMITTED)).as(topic.name()).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.headers().toArray()).extracting(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
                            .containsExactlyInAnyOrder(JsonSerde.CONTENT_TYPE_HEADER + "=application/json",
                                    JsonSerde.SCHEMA_VERSION_HEADER + "=" + topic.valueSerde().schemaVersion());
                });
            }
        }
    }

    private static JsonNode lastMessage(WebSocketRecorder client) throws Exception {
        List<String> messages = client.messages();
        return messages.isEmpty() ? null : Json.MAPPER.readTree(messages.get(messages.size() - 1));
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, Object value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, Json.write(value).getBytes(StandardCharsets.UTF_8))).get();
    }

    private static List<DeadLetter> readAll(KafkaCluster kafka, String topic) throws Exception {
        List<DeadLetter> out = new ArrayList<>();
        for (var r : kafka.readToEnd(topic, IsolationLevel.READ_COMMITTED)) {
            out.add(Json.MAPPER.readValue(r.value(), DeadLetter.class));
        }
        return out;
    }
}
