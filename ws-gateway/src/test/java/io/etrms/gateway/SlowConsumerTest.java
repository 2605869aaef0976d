package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.gateway.fanout.ChannelMeters;
import io.etrms.gateway.fanout.Channel;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No client can stall another: while two clients never read (a bare socket with a 4 KiB receive
 * buffer on positions and on alerts), healthy clients get a burst of 300 alerts of 16 KiB and 300
 * portfolio snapshots of 16 KiB (about 9.6 MB) — every alert, and the final snapshot, within
 * {@value #BOUND_SECONDS} s of the burst's end. The stuck alerts reader overflows its queue and is
 * closed with 1013; the stuck positions reader, whose send never completes, is closed after the
 * send timeout; messages buffered for all connections never exceed the per-connection bounds.
 */
@ExtendWith(KafkaClusterExtension.class)
class SlowConsumerTest {

    static final int BOUND_SECONDS = 10;
    private static final int BURST = 300;
    private static final int ALERT_QUEUE = 64;
    private static final String PADDING = "x".repeat(16 * 1024);

    @Test
    void shouldKeepServingOthersWhileClosingReadersThatNeverRead(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(1 << 20);
        client.start();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        Map<String, String> settings = Map.of(GatewaySettings.ALERT_QUEUE_SIZE, Integer.toString(ALERT_QUEUE),
                GatewaySettings.SEND_TIMEOUT_MS, "3000");
        try (TopicWriter writer = new TopicWriter(kafka); GatewayServer gateway = TestGateways.start(kafka, topics, settings)) {
            // Given two healthy clients and two that never read
            WsTestClient alerts = WsTestClient.connect(client, TestGateways.ws(gateway, "alerts"));
            WsTestClient positions = WsTestClient.connect(client, TestGateways.ws(gateway, "positions"));
            RawWebSocket stuckAlerts = RawWebSocket.connect(gateway.port(), "alerts");
            RawWebSocket stuckPositions = RawWebSocket.connect(gateway.port(), "positions");
            TestGateways.awaitConnections(gateway, Channel.ALERTS, 2);
            TestGateways.awaitConnections(gateway, Channel.POSITIONS, 2);
            AtomicInteger maxPending = new AtomicInteger();
            sampler.scheduleAtFixedRate(() -> maxPending.accumulateAndGet(gateway.supervisor().pendingMessages(), Math::max), 0, 5, TimeUnit.MILLISECONDS);

            // When a burst goes through
            List<String> sentAlerts = new ArrayList<>();
            String lastPortfolio = null;
            for (int i = 1; i <= BURST; i++) {
                String alert = "{\"type\":\"circuit_breaker\",\"alert_id\":" + i + ",\"account\":\"main\",\"condition_name\":\"volatility\","
                        + "\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"triggered_at\":1764000000,\"padding\":\"" + PADDING + "\"}";
                lastPortfolio = "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":" + (Samples.TS + i)
                        + ",\"total_position_value\":" + i + ",\"total_unrealized_pnl\":0,\"exchanges\":{},\"padding\":\"" + PADDING + "\"}";
                writer.sendAsync(topics.alerts.name(), "main", alert);
                writer.sendAsync(topics.portfolio.name(), "main", lastPortfolio);
                sentAlerts.add(alert);
            }
            writer.flush();
            long burstEnd = System.nanoTime();

            // Then the healthy clients get everything within the bound
            List<String> received = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                received.add(alerts.next(Duration.ofSeconds(BOUND_SECONDS)));
            }
            assertThat(received).isEqualTo(sentAlerts);
            String latest = null;
            while (!lastPortfolio.equals(latest)) {
                latest = positions.next(Duration.ofSeconds(BOUND_SECONDS));
            }
            Duration delivered = Duration.ofNanos(System.nanoTime() - burstEnd);
            assertThat(delivered).isLessThan(Duration.ofSeconds(BOUND_SECONDS));

            // and the stuck alerts reader was closed with 1013, the stuck positions reader after the send timeout
            ChannelMeters alertMeters = gateway.metrics().channel(Channel.ALERTS);
            ChannelMeters positionMeters = gateway.metrics().channel(Channel.POSITIONS);
            await().atMost(Duration.ofSeconds(BOUND_SECONDS)).until(() -> alertMeters.slowConsumerCloses().count() == 1.0);
            RawWebSocket.Drained drained = stuckAlerts.drainUntilClose(Duration.ofSeconds(20));
            assertThat(drained.closeCode()).isEqualTo(1013);
            assertThat(drained.textFrames()).isLessThan(BURST);
            // The gateway fans out only the latest snapshot of a poll: feed snapshots one at a time (the healthy reader
            // gets each, so each was fanned out) until the stuck positions reader's buffers are full and its send is stuck
            long feedDeadline = System.nanoTime() + Duration.ofSeconds(BOUND_SECONDS).toNanos();
            for (int i = 1; positionMeters.slowConsumerCloses().count() == 0 && System.nanoTime() < feedDeadline; i++) {
                String snapshot = "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":" + (Samples.TS + BURST + i)
                        + ",\"total_position_value\":" + i + ",\"total_unrealized_pnl\":0,\"exchanges\":{},\"padding\":\"" + PADDING + "\"}";
                writer.sendRaw(topics.portfolio.name(), "main", snapshot);
                while (!snapshot.equals(positions.next(Duration.ofSeconds(BOUND_SECONDS)))) {
                    // an older one
                }
            }
            await().atMost(Duration.ofSeconds(BOUND_SECONDS)).until(() -> positionMeters.slowConsumerCloses().count() == 1.0);
            assertThat(stuckPositions.drainUntilClose(Duration.ofSeconds(20)).closeCode()).isIn(1013, -1);
            await().atMost(Duration.ofSeconds(BOUND_SECONDS)).until(() -> gateway.supervisor().size() == 2);

            // and memory stayed bounded: at most queue + in-flight per alerts reader, two per positions reader
            System.out.printf("slow-consumer burst: healthy clients done %d ms after the burst; stuck alerts reader got %d of %d"
                    + " alerts before 1013; max messages buffered for all connections %d%n",
                    delivered.toMillis(), drained.textFrames(), BURST, maxPending.get());
            assertThat(maxPending.get()).isLessThanOrEqualTo(2 * (ALERT_QUEUE + 1) + 2 * 2);
            assertThat(alerts.isClosed()).isFalse();
            assertThat(positions.isClosed()).isFalse();
            stuckAlerts.close();
            stuckPositions.close();
        } finally {
            sampler.shutdownNow();
            client.stop();
        }
    }
}
