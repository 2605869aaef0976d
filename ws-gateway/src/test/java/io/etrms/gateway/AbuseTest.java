package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import io.etrms.model.Topics;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue J's abuse test, on the gateway's default limits: 60 uploads that never finish their body
 * and 2,000 WebSockets that never read (from four other client addresses, 500 each: under the
 * per-address cap of 1,000) are held open while a normal client's REST call and WebSocket
 * snapshot each complete within one second.
 */
@ExtendWith(KafkaClusterExtension.class)
class AbuseTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    void shouldServeANormalClientWithin1sWhile60SlowUploadsAnd2000WebSocketsAreHeld(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        List<AutoCloseable> attack = new ArrayList<>();
        WebSocketClient client = new WebSocketClient();
        client.start();
        try (TopicWriter writer = new TopicWriter(kafka); GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
            String snapshot = writer.send(topics.portfolio, "main", Samples.portfolio("main", Samples.TS));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestGateways.get(gateway, "/api/v1/positions").statusCode() == 200);
            // the normal client's first connection, so that what is timed below is the gateway, not a cold client
            WsTestClient.connect(client, TestGateways.ws(gateway, "positions")).close();

            for (int i = 0; i < 2000; i++) {
                attack.add(RawWebSocket.connect("127.0.0." + (2 + i % 4), gateway.port(), "accounts?account=idle-" + i % 50));
            }
            TestGateways.awaitConnections(gateway, Channel.ACCOUNTS, 2000);
            for (int i = 0; i < 60; i++) {
                Socket upload = new Socket();
                upload.bind(new InetSocketAddress("127.0.0.6", 0));
                upload.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
                OutputStream out = upload.getOutputStream();
                out.write(("POST /api/v1/accounts/main/risk-control HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                attack.add(upload);
            }
            // every attacker is connected: 2,000 WebSockets, 60 uploads (8 reading their body, 52 queued by the QoS handler)
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.context().metrics().scrape().lines()
                    .anyMatch(l -> l.startsWith("etrms_gateway_http_connections ") && Double.parseDouble(l.substring(l.indexOf(' ') + 1)) >= 2060));

            HttpResponse<String> rest = assertTimeoutPreemptively(ONE_SECOND, () -> TestGateways.get(gateway, "/api/v1/positions"));
            assertThat(rest.statusCode()).isEqualTo(200);
            assertThat(rest.body()).endsWith(",\"data\":" + snapshot + "}");
            String first = assertTimeoutPreemptively(ONE_SECOND, () -> {
                WsTestClient ws = WsTestClient.connect(client, TestGateways.ws(gateway, "positions"));
                String message = ws.next(ONE_SECOND);
                ws.close();
                return message;
            });
            assertThat(first).isEqualTo(snapshot);
            // every attacker is still held: nothing was shed to serve the normal client
            assertThat(gateway.context().metrics().channel(Channel.ACCOUNTS).connections().get()).isEqualTo(2000);
        } finally {
            for (AutoCloseable c : attack) {
                c.close();
            }
            client.stop();
        }
    }
}
