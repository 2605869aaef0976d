package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.gateway.fanout.Channel;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two gateways on the same topics (no consumer group) give their clients the same stream. */
@ExtendWith(KafkaClusterExtension.class)
class TwoInstancesTest {

    @Test
    void shouldGiveClientsOfTwoInstancesTheSameStream(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        WebSocketClient client = new WebSocketClient();
        client.start();
        try (TopicWriter writer = new TopicWriter(kafka);
             GatewayServer one = TestGateways.start(kafka, topics, Map.of());
             GatewayServer two = TestGateways.start(kafka, topics, Map.of())) {
            List<WsTestClient> alertClients = new ArrayList<>();
            List<WsTestClient> positionClients = new ArrayList<>();
            for (GatewayServer gateway : List.of(one, two)) {
                for (String account : List.of("main", "acc-2", "acc-3")) {
                    alertClients.add(WsTestClient.connect(client, TestGateways.ws(gateway, "alerts?account=" + account)));
                    positionClients.add(WsTestClient.connect(client, TestGateways.ws(gateway, "positions?account=" + account)));
                }
                TestGateways.awaitConnections(gateway, Channel.ALERTS, 3);
            }

            // accounts spread over the partitions; every instance reads them all
            Map<String, List<String>> alerts = new java.util.LinkedHashMap<>();
            Map<String, String> lastPortfolio = new java.util.LinkedHashMap<>();
            for (int i = 1; i <= 20; i++) {
                for (String account : List.of("main", "acc-2", "acc-3")) {
                    alerts.computeIfAbsent(account, a -> new ArrayList<>())
                            .add(writer.send(topics.alerts, account, Samples.alert(account, i, "*", "*")));
                    lastPortfolio.put(account, writer.send(topics.portfolio, account, Samples.portfolio(account, Samples.TS + i)));
                }
            }

            List<String> accounts = List.of("main", "acc-2", "acc-3");
            for (int c = 0; c < alertClients.size(); c++) {
                String account = accounts.get(c % 3);
                List<String> received = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    received.add(alertClients.get(c).next());
                }
                assertThat(received).as("alerts of %s on instance %d", account, c / 3 + 1).isEqualTo(alerts.get(account));
                String latest = null;
                while (!lastPortfolio.get(account).equals(latest)) {
                    latest = positionClients.get(c).next(Duration.ofSeconds(10));
                }
            }
            for (String account : accounts) {
                assertThat(TestGateways.get(one, "/api/v1/positions?account=" + account).body())
                        .isEqualTo(TestGateways.get(two, "/api/v1/positions?account=" + account).body())
                        .contains(lastPortfolio.get(account));
            }
        } finally {
            client.stop();
        }
    }
}
