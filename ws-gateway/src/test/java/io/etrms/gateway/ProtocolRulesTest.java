package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connection rules: protocol pings, idle timeout, frame-size and flood limits, graceful shutdown. */
@ExtendWith(KafkaClusterExtension.class)
class ProtocolRulesTest {

    private static WebSocketClient client;

    @BeforeAll
    static void startClient() throws Exception {
        client = new WebSocketClient();
        client.setMaxTextMessageSize(1 << 20);
        client.start();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    @Test
    void shouldPingClientsAndCloseOneThatAnswersNoPingWith1001(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        Map<String, String> fast = Map.of(GatewaySettings.PING_INTERVAL_MS, "100", GatewaySettings.IDLE_TIMEOUT_MS, "1500");
        try (GatewayServer gateway = TestGateways.start(kafka, topics, fast)) {
            WsTestClient alive = WsTestClient.connect(client, TestGateways.ws(gateway, "positions"));
            WsTestClient dead = WsTestClient.connect(client, TestGateways.ws(gateway, "positions"), Map.of(), false);

            WsTestClient.Close close = dead.awaitClose(Duration.ofSeconds(10));
            assertThat(close).isEqualTo(new WsTestClient.Close(1001, "idle timeout"));
            assertThat(dead.pings()).isGreaterThanOrEqualTo(5);

            // the client that answers pings outlives the idle timeout by far
            await().atMost(Duration.ofSeconds(10)).until(() -> alive.pings() >= 30);
            assertThat(alive.isClosed()).isFalse();
            assertThat(TestGateways.get(gateway, "/metrics").body())
                    .contains("etrms_gateway_policy_closes_total{channel=\"positions\",code=\"1001\"} 1.0");
        }
    }

    @Test
    void shouldAnswerAClientPingWithAPongCarryingItsPayload(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
            WsTestClient c = WsTestClient.connect(client, TestGateways.ws(gateway, "positions"));

            c.sendPing("are-you-there-1");
            c.sendPing("are-you-there-2");

            assertThat(c.nextPong(Duration.ofSeconds(10))).isEqualTo("are-you-there-1");
            assertThat(c.nextPong(Duration.ofSeconds(10))).isEqualTo("are-you-there-2");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void shouldCloseAnOversizeMessageWith1009AndAFloodWith1008(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        Map<String, String> limits = Map.of(GatewaySettings.MAX_INBOUND_MESSAGE_BYTES, "1024",
                GatewaySettings.INBOUND_RATE, "2", GatewaySettings.INBOUND_BURST, "10");
        try (GatewayServer gateway = TestGateways.start(kafka, topics, limits)) {
            WsTestClient big = WsTestClient.connect(client, TestGateways.ws(gateway, "accounts"));
            big.send("x".repeat(1024));
            big.send("x".repeat(1025));
            assertThat(big.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1009);

            WsTestClient flood = WsTestClient.connect(client, TestGateways.ws(gateway, "accounts"));
            for (int i = 0; i < 10; i++) {
                flood.send("ping");
            }
            flood.send("ping");
            assertThat(flood.awaitClose(Duration.ofSeconds(10))).isEqualTo(new WsTestClient.Close(1008, "too many messages"));

            WsTestClient polite = WsTestClient.connect(client, TestGateways.ws(gateway, "accounts"));
            for (int i = 0; i < 10; i++) {
                polite.send(i % 2 == 0 ? "subscribe" : "ping");
            }
            assertThat(TestGateways.get(gateway, "/metrics").body())
                    .contains("etrms_gateway_policy_closes_total{channel=\"accounts\",code=\"1008\"} 1.0");
            assertThat(polite.isClosed()).isFalse();
            assertThat(polite.drain()).isEmpty();
        }
    }

    @Test
    void shouldCloseEveryWebSocketWith1001OnShutdown(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        GatewayServer gateway = TestGateways.start(kafka, topics, Map.of());
        WsTestClient positions = WsTestClient.connect(client, TestGateways.ws(gateway, "positions"));
        WsTestClient alerts = WsTestClient.connect(client, TestGateways.ws(gateway, "alerts"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.supervisor().size() == 2);

        gateway.close();

        assertThat(positions.awaitClose(Duration.ofSeconds(10))).isEqualTo(new WsTestClient.Close(1001, "server shutting down"));
        assertThat(alerts.awaitClose(Duration.ofSeconds(10))).isEqualTo(new WsTestClient.Close(1001, "server shutting down"));
    }
}
