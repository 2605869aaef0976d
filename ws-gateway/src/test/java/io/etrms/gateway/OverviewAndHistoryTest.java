package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Alert;
import io.etrms.model.Json;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The firm overview ({@code overview} channel, {@code GET /api/v1/accounts}) and the equity history
 * ({@code GET /api/v1/history}) against the hand-computed desk of {@link DeskFixture}, on a real
 * broker and gateway.
 */
@ExtendWith(KafkaClusterExtension.class)
class OverviewAndHistoryTest {

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

    static void writeDesk(TopicWriter writer, Topics topics) throws Exception {
        writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(DeskFixture.TS, "30700", "ACTIVE"));
        writer.sendRaw(topics.riskMetrics.name(), "beta", DeskFixture.beta(DeskFixture.TS));
        writer.sendRaw(topics.riskMetrics.name(), "gamma", DeskFixture.gamma(DeskFixture.TS));
        writer.send(topics.portfolio, "alpha", DeskFixture.alphaPortfolio());
        writer.send(topics.portfolio, "beta", DeskFixture.betaPortfolio());
        writer.send(topics.accounts, "alpha", DeskFixture.alphaAccounts());
        for (Alert alert : DeskFixture.alerts()) {
            writer.send(topics.alerts, alert.account(), alert);
        }
    }

    @Test
    void shouldListEveryAccountWithHandComputedFiguresWorstLimitsAndOpenAlertsThenFollowChanges(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka)) {
            writeDesk(writer, topics);
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of(GatewaySettings.OVERVIEW_INTERVAL_MS, "100"))) {
                // REST
                HttpResponse<String> response = TestGateways.get(gateway, "/api/v1/accounts");
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode overview = Json.MAPPER.readTree(response.body()).get("data");
                assertThat(overview.get("type").asText()).isEqualTo("overview");
                List<String> names = new ArrayList<>();
                overview.get("accounts").forEach(row -> names.add(row.get("account").asText()));
                assertThat(names).containsExactly("alpha", "beta", "gamma");

                JsonNode alpha = overview.at("/accounts/0");
                assertThat(alpha.get("trading_state").asText()).isEqualTo("ACTIVE");
                assertThat(alpha.get("total_equity").decimalValue()).isEqualByComparingTo("30700");
                assertThat(alpha.get("daily_pnl").decimalValue()).isEqualByComparingTo("-300");
                assertThat(alpha.get("current_drawdown").doubleValue()).isEqualTo(4.0625);       // (32000 - 30700) / 32000 x 100
                assertThat(alpha.get("leverage").doubleValue()).isEqualTo(1.4137);
                assertThat(alpha.get("open_positions").intValue()).isEqualTo(2);
                assertThat(alpha.get("open_alerts").intValue()).isEqualTo(1);                   // max_leverage cleared, volatility open
                assertThat(alpha.get("worst_limit").get("condition_name").asText()).isEqualTo("volatility");
                assertThat(alpha.get("worst_limit").get("exchange").asText()).isEqualTo("binance");
                assertThat(alpha.get("worst_limit").get("symbol").asText()).isEqualTo("BTC/USDT:USDT");
                assertThat(alpha.get("worst_limit").get("utilization_pct").doubleValue()).isEqualTo(66.0);   // |3.3| / 5

                JsonNode beta = overview.at("/accounts/1");
                assertThat(beta.get("trading_state").asText()).isEqualTo("HALTED");
                assertThat(beta.get("worst_limit").get("condition_name").asText()).isEqualTo("max_drawdown");
                assertThat(beta.get("worst_limit").get("exchange").asText()).isEqualTo("*");
                assertThat(beta.get("worst_limit").get("utilization_pct").doubleValue()).isEqualTo(133.3333);  // 20 / 15
                assertThat(beta.get("open_alerts").intValue()).isEqualTo(2);
                assertThat(beta.get("open_positions").intValue()).isEqualTo(1);

                JsonNode gamma = overview.at("/accounts/2");
                assertThat(gamma.get("trading_state").asText()).isEqualTo("REDUCE_ONLY");
                assertThat(gamma.has("worst_limit")).as("no limit switched on").isFalse();
                assertThat(gamma.has("open_positions")).as("no portfolio yet").isFalse();
                assertThat(gamma.get("open_alerts").intValue()).isZero();

                JsonNode totals = overview.get("totals");
                assertThat(totals.get("accounts").intValue()).isEqualTo(3);
                assertThat(totals.get("total_equity").decimalValue()).isEqualByComparingTo("88700.25");   // 30700 + 8000 + 50000.25
                assertThat(totals.get("daily_pnl").decimalValue()).isEqualByComparingTo("-1599.5");      // -300 - 2500 + 1200.5
                assertThat(totals.get("total_exposure").decimalValue()).isEqualByComparingTo("205400");  // 43400 + 12000 + 150000
                assertThat(totals.get("halted").intValue()).isEqualTo(1);
                assertThat(totals.get("reduce_only").intValue()).isEqualTo(1);
                assertThat(totals.get("open_alerts").intValue()).isEqualTo(3);

                // the accounts snapshot of one account is still where it was
                assertThat(Json.MAPPER.readTree(TestGateways.get(gateway, "/api/v1/accounts?account=alpha").body())
                        .at("/data/accounts/okx/balance").decimalValue()).isEqualByComparingTo("9850");

                // WebSocket: the same message at once, then the next one after a change
                WsTestClient ws = WsTestClient.connect(client, TestGateways.ws(gateway, "overview"));
                assertThat(Json.MAPPER.readTree(ws.next()).get("accounts")).isEqualTo(overview.get("accounts"));
                writer.send(topics.alerts, "beta", DeskFixture.alert("beta", 3, Alert.CLEARED, "daily_loss", Alert.ANY, Alert.ANY, Alert.INFO,
                        "Daily loss back under 1800"));
                writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(DeskFixture.TS + 1000, "30000", "REDUCE_ONLY"));
                JsonNode next;
                do {
                    next = Json.MAPPER.readTree(ws.next());
                } while (!next.at("/accounts/0/trading_state").asText().equals("REDUCE_ONLY")
                        || next.at("/accounts/1/open_alerts").intValue() != 1);
                assertThat(next.at("/accounts/0/current_drawdown").doubleValue()).isEqualTo(6.25);            // (32000 - 30000) / 32000
                assertThat(next.at("/totals/total_equity").decimalValue()).isEqualByComparingTo("88000.25");  // 30000 + 8000 + 50000.25
                assertThat(next.at("/totals/open_alerts").intValue()).isEqualTo(2);
            }
        }
    }

    @Test
    void shouldKeepOnePointPerSecondOfEventTimeAndServeItFromAGivenTime(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        long t0 = DeskFixture.TS;
        try (TopicWriter writer = new TopicWriter(kafka)) {
            writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(t0, "30700", "ACTIVE"));
            writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(t0 + 400, "30600", "ACTIVE"));   // same second: replaces
            writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(t0 + 1500, "30400", "ACTIVE"));
            writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(t0 + 3000, "32000", "ACTIVE"));
            writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(t0 + 2000, "1", "ACTIVE"));      // older than the latest: ignored
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                JsonNode all = Json.MAPPER.readTree(TestGateways.get(gateway, "/api/v1/history?account=alpha").body()).get("data");
                assertThat(all.get("type").asText()).isEqualTo("history");
                assertThat(all.get("resolution_ms").longValue()).isEqualTo(1000);
                assertThat(longs(all.get("timestamps"))).containsExactly(t0 + 400, t0 + 1500, t0 + 3000);
                assertThat(doubles(all.get("equity"))).containsExactly(30600.0, 30400.0, 32000.0);
                assertThat(doubles(all.get("drawdown"))).containsExactly(4.375, 5.0, 0.0);   // (32000 - e) / 32000 x 100

                JsonNode recent = Json.MAPPER.readTree(TestGateways.get(gateway, "/api/v1/history?account=alpha&from=" + (t0 + 1000)).body())
                        .get("data");
                assertThat(longs(recent.get("timestamps"))).containsExactly(t0 + 1500, t0 + 3000);
                assertThat(recent.get("from").longValue()).isEqualTo(t0 + 1000);

                // live records extend it
                writer.sendRaw(topics.riskMetrics.name(), "alpha", DeskFixture.alpha(t0 + 4200, "31000", "ACTIVE"));
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                        longs(Json.MAPPER.readTree(TestGateways.get(gateway, "/api/v1/history?account=alpha&from=" + (t0 + 3500)).body())
                                .at("/data/timestamps")).equals(List.of(t0 + 4200)));

                assertThat(TestGateways.get(gateway, "/api/v1/history?account=nobody").statusCode()).isEqualTo(404);
                HttpResponse<String> bad = TestGateways.get(gateway, "/api/v1/history?account=alpha&from=yesterday");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("from must be epoch milliseconds");
            }
        }
    }

    @Test
    void shouldShowATokenOnlyTheAccountsItMayRead(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        Map<String, String> authOn = Map.of(GatewaySettings.AUTH_ENABLED, "true", GatewaySettings.JWT_SECRET, AuthTest.SECRET,
                GatewaySettings.JWT_ISSUER, "etrms-test");
        try (TopicWriter writer = new TopicWriter(kafka)) {
            writeDesk(writer, topics);
            try (GatewayServer gateway = TestGateways.start(kafka, topics, authOn)) {
                String desk = AuthTest.token("desk-2", List.of("alpha", "gamma"), List.of("viewer"));
                JsonNode overview = Json.MAPPER.readTree(TestGateways.get(gateway, "/api/v1/accounts",
                        "Authorization", "Bearer " + desk).body()).get("data");
                List<String> names = new ArrayList<>();
                overview.get("accounts").forEach(row -> names.add(row.get("account").asText()));
                assertThat(names).containsExactly("alpha", "gamma");
                assertThat(overview.at("/totals/total_equity").decimalValue()).isEqualByComparingTo("80700.25");   // 30700 + 50000.25
                assertThat(overview.at("/totals/daily_pnl").decimalValue()).isEqualByComparingTo("900.5");        // -300 + 1200.5
                assertThat(overview.at("/totals/halted").intValue()).isZero();

                WsTestClient ws = WsTestClient.connect(client, TestGateways.ws(gateway, "overview?token=" + desk));
                assertThat(Json.MAPPER.readTree(ws.next()).get("accounts")).isEqualTo(overview.get("accounts"));

                String admin = AuthTest.token("root", List.of(), List.of("admin"));
                assertThat(Json.MAPPER.readTree(TestGateways.get(gateway, "/api/v1/accounts", "Authorization", "Bearer " + admin).body())
                        .at("/data/accounts").size()).isEqualTo(3);
                assertThat(TestGateways.get(gateway, "/api/v1/accounts").statusCode()).isEqualTo(401);
                assertThat(TestGateways.get(gateway, "/api/v1/history?account=beta", "Authorization", "Bearer " + desk).statusCode()).isEqualTo(403);
                assertThat(TestGateways.get(gateway, "/api/v1/history?account=alpha", "Authorization", "Bearer " + desk).statusCode()).isEqualTo(200);
            }
        }
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.longValue()));
        return out;
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.doubleValue()));
        return out;
    }
}
