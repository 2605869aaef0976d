package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etrms.gateway.fanout.Channel;
import io.etrms.model.Json;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The four channels on a real broker with a real Jetty WebSocket client. */
@ExtendWith(KafkaClusterExtension.class)
class WebSocketChannelsTest {

    private static WebSocketClient client;

    @BeforeAll
    static void startClient() throws Exception {
        client = new WebSocketClient();
        client.start();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    static GatewayServer startGateway(KafkaCluster kafka, Topics topics, Map<String, String> more) {
        return TestGateways.start(kafka, topics, more);
    }

    static URI ws(GatewayServer gateway, String pathAndQuery) {
        return TestGateways.ws(gateway, pathAndQuery);
    }

    @Test
    void shouldSendTheCurrentPortfolioSnapshotOnOpenExactlyAsOnTheTopic(KafkaCluster kafka) throws Exception {
        // Given a portfolio on the topic before the gateway starts
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka)) {
            PortfolioSnapshot snapshot = Samples.portfolio("main", Samples.TS);
            String json = writer.send(topics.portfolio, "main", snapshot);
            try (GatewayServer gateway = startGateway(kafka, topics, Map.of())) {
                // When a client connects without an account
                WsTestClient ws = WsTestClient.connect(client, ws(gateway, "positions"));

                // Then it gets the snapshot of the default account at once, byte for byte
                String received = ws.next();
                assertThat(received).isEqualTo(json);
                assertThat(Json.MAPPER.readValue(received, PortfolioSnapshot.class)).isEqualTo(snapshot);
                assertThat(Json.MAPPER.readTree(received).get("type").asText()).isEqualTo("positions");
                ws.close();
            }
        }
    }

    @Test
    void shouldPushEveryChangeAfterTheSnapshotAndIgnoreSubscribeAndPing(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka); GatewayServer gateway = startGateway(kafka, topics, Map.of())) {
            WsTestClient ws = WsTestClient.connect(client, ws(gateway, "accounts?account=acc-1"));
            ws.send("subscribe");
            ws.send("ping");
            ws.send("{\"anything\": true}");

            String first = writer.send(topics.accounts, "acc-1", Samples.accounts("acc-1", Samples.TS));
            assertThat(ws.next()).isEqualTo(first);
            String second = writer.send(topics.accounts, "acc-1", Samples.accounts("acc-1", Samples.TS + 1));
            assertThat(ws.next()).isEqualTo(second);

            // no reply to subscribe/ping ever arrived: the only messages were the two snapshots
            writer.send(topics.accounts, "acc-1", null);
            assertThat(ws.drain()).isEmpty();
            assertThat(ws.isClosed()).isFalse();
            ws.close();
        }
    }

    @Test
    void shouldServeOnlyTheRequestedAccount(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka); GatewayServer gateway = startGateway(kafka, topics, Map.of())) {
            WsTestClient main = WsTestClient.connect(client, ws(gateway, "risk-metrics"));
            WsTestClient other = WsTestClient.connect(client, ws(gateway, "risk-metrics?account=other"));

            String otherJson = writer.send(topics.riskMetrics, "other", Samples.riskMetrics("other", Samples.TS));
            String mainJson = writer.send(topics.riskMetrics, "main", Samples.riskMetrics("main", Samples.TS));

            assertThat(main.next()).isEqualTo(mainJson);
            assertThat(other.next()).isEqualTo(otherJson);
            assertThat(main.drain()).isEmpty();
            assertThat(other.drain()).isEmpty();
        }
    }

    @Test
    void shouldDeliverEachAlertOnceInOrderAndNoSnapshotOnOpen(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka)) {
            writer.send(topics.alerts, "main", Samples.alert("main", 1, "*", "*"));
            try (GatewayServer gateway = startGateway(kafka, topics, Map.of())) {
                WsTestClient ws = WsTestClient.connect(client, ws(gateway, "alerts"));
                TestGateways.awaitConnections(gateway, Channel.ALERTS, 1);
                String a2 = writer.send(topics.alerts, "main", Samples.alert("main", 2, "*", "*"));
                String a3 = writer.send(topics.alerts, "main", Samples.alert("main", 3, "binance", "BTC/USDT:USDT"));
                assertThat(ws.next()).isEqualTo(a2);
                assertThat(ws.next()).isEqualTo(a3);
                assertThat(ws.drain()).isEmpty();
            }
        }
    }

    @Test
    void shouldAnswer404ForAPathThatIsNoChannel(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (GatewayServer gateway = startGateway(kafka, topics, Map.of())) {
            assertThatThrownBy(() -> WsTestClient.connect(client, ws(gateway, "orders")))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UpgradeException.class)
                    .satisfies(e -> assertThat(((UpgradeException) e).getResponseStatusCode()).isEqualTo(404));
            assertThatThrownBy(() -> WsTestClient.connect(client, URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v2/ws/positions")))
                    .cause().isInstanceOf(UpgradeException.class)
                    .satisfies(e -> assertThat(((UpgradeException) e).getResponseStatusCode()).isEqualTo(404));
        }
    }
}
