package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.gateway.fanout.Channel;
import io.etrms.model.Json;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The exchange/symbol filters and the alert replay with {@code since}. */
@ExtendWith(KafkaClusterExtension.class)
class FiltersAndReplayTest {

    /** JSON numbers equal by value (0.0 == 0), everything else by equals. */
    private static final java.util.Comparator<JsonNode> NUMERIC = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1);

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

    @Test
    void shouldFilterStateChannelsByExchangeAndSymbol(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka)) {
            String portfolio = writer.send(topics.portfolio, "main", Samples.portfolio("main", Samples.TS));
            writer.send(topics.accounts, "main", Samples.accounts("main", Samples.TS));
            writer.send(topics.riskMetrics, "main", Samples.riskMetrics("main", Samples.TS));
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                JsonNode okx = Json.MAPPER.readTree(WsTestClient.connect(client, TestGateways.ws(gateway, "positions?exchange=okx")).next());
                JsonNode original = Json.MAPPER.readTree(portfolio);
                assertThat(okx.get("exchanges").fieldNames()).toIterable().containsExactly("okx");
                assertThat(okx.at("/exchanges/okx").equals(NUMERIC, original.at("/exchanges/okx"))).isTrue();
                assertThat(okx.get("total_position_value").decimalValue()).isEqualByComparingTo("5800");
                assertThat(okx.get("total_unrealized_pnl").decimalValue()).isEqualByComparingTo("200");
                assertThat(okx.get("account").asText()).isEqualTo("main");
                assertThat(okx.get("type").asText()).isEqualTo("positions");

                String btc = WsTestClient.connect(client, TestGateways.ws(gateway, "positions?symbol=BTC/USDT:USDT")).next();
                var tree = Json.MAPPER.readTree(btc);
                assertThat(tree.get("exchanges").size()).isEqualTo(1);
                assertThat(tree.at("/exchanges/binance/positions/0/symbol").asText()).isEqualTo("BTC/USDT:USDT");
                assertThat(tree.get("total_position_value").decimalValue()).isEqualByComparingTo("25500");
                assertThat(tree.get("total_unrealized_pnl").decimalValue()).isEqualByComparingTo("500");

                var accounts = Json.MAPPER.readTree(
                        WsTestClient.connect(client, TestGateways.ws(gateway, "accounts?exchange=binance")).next());
                assertThat(accounts.get("accounts").fieldNames()).toIterable().containsExactly("binance");

                var metrics = Json.MAPPER.readTree(
                        WsTestClient.connect(client, TestGateways.ws(gateway, "risk-metrics?exchange=okx&symbol=ETH/USDT:USDT")).next());
                assertThat(metrics.at("/risk_metrics/exchange_metrics").fieldNames()).toIterable().containsExactly("okx");
                assertThat(metrics.at("/risk_metrics/symbol_metrics").fieldNames()).toIterable().containsExactly("ETH/USDT:USDT");
                assertThat(metrics.at("/risk_metrics/total_exposure").decimalValue()).isEqualByComparingTo("31300");
            }
        }
    }

    @Test
    void shouldFilterAlertsByExchangeKeepingAccountWideOnes(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka); GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
            WsTestClient binance = WsTestClient.connect(client, TestGateways.ws(gateway, "alerts?exchange=binance"));
            TestGateways.awaitConnections(gateway, Channel.ALERTS, 1);
            String accountWide = writer.send(topics.alerts, "main", Samples.alert("main", 1, "*", "*"));
            writer.send(topics.alerts, "main", Samples.alert("main", 2, "okx", "ETH/USDT:USDT"));
            String onBinance = writer.send(topics.alerts, "main", Samples.alert("main", 3, "binance", "BTC/USDT:USDT"));
            assertThat(binance.next()).isEqualTo(accountWide);
            assertThat(binance.next()).isEqualTo(onBinance);
            assertThat(binance.drain()).isEmpty();
        }
    }

    @Test
    void shouldReplayAlertsAfterSinceFromKafkaThenGoLiveAcrossRestartsAndInstances(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka)) {
            List<String> alerts = new ArrayList<>();
            for (long id = 1; id <= 4; id++) {
                alerts.add(writer.send(topics.alerts, "main", Samples.alert("main", id, "*", "*")));
            }
            try (GatewayServer first = TestGateways.start(kafka, topics, Map.of())) {
                WsTestClient ws = WsTestClient.connect(client, TestGateways.ws(first, "alerts?since=2"));
                assertThat(ws.next()).isEqualTo(alerts.get(2));
                assertThat(ws.next()).isEqualTo(alerts.get(3));
                alerts.add(writer.send(topics.alerts, "main", Samples.alert("main", 5, "*", "*")));
                assertThat(ws.next()).isEqualTo(alerts.get(4));
                assertThat(ws.drain()).isEmpty();
            }
            // a client resuming on another (new) instance misses nothing and gets nothing twice
            alerts.add(writer.send(topics.alerts, "main", Samples.alert("main", 6, "*", "*")));
            try (GatewayServer second = TestGateways.start(kafka, topics, Map.of())) {
                WsTestClient resumed = WsTestClient.connect(client, TestGateways.ws(second, "alerts?since=5"));
                assertThat(resumed.next()).isEqualTo(alerts.get(5));
                alerts.add(writer.send(topics.alerts, "main", Samples.alert("main", 7, "*", "*")));
                assertThat(resumed.next()).isEqualTo(alerts.get(6));
                assertThat(resumed.drain()).isEmpty();

                WsTestClient everything = WsTestClient.connect(client, TestGateways.ws(second, "alerts?since=0"));
                for (String alert : alerts) {
                    assertThat(everything.next()).isEqualTo(alert);
                }
                assertThat(everything.drain()).isEmpty();
            }
        }
    }
}
