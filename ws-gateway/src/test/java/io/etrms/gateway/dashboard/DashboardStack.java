package io.etrms.gateway.dashboard;

import static org.awaitility.Awaitility.await;

import io.etrms.gateway.GatewayServer;
import io.etrms.gateway.GatewaySettings;
import io.etrms.model.Topic;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real broker's topics, a producer of model records onto them, and gateways started on them. */
final class DashboardStack implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final KafkaCluster kafka;
    final Topics live;
    private final KafkaProducer<String, byte[]> producer;

    DashboardStack(KafkaCluster kafka) {
        this.kafka = kafka;
        this.live = kafka.newTopics();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "0"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes {@code value} through the topic's own serde and waits for the broker's ack. */
    <V> void send(Topic<V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serialize(topic.name(), value)))
                .get(30, TimeUnit.SECONDS);
    }

    /** Writes a JSON text as it is (payloads with fields the model records do not have yet). */
    void sendRaw(Topic<?> topic, String key, String json) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, json.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }

    /** Sends without waiting for each ack; {@link #flush()} waits for them all. */
    <V> void sendAsync(Topic<V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serialize(topic.name(), value)));
    }

    /** {@link #sendRaw} without waiting for the ack. */
    void sendAsyncRaw(Topic<?> topic, String key, String json) {
        producer.send(new ProducerRecord<>(topic.name(), key, json.getBytes(StandardCharsets.UTF_8)));
    }

    void flush() {
        producer.flush();
    }

    /** A ready gateway on 127.0.0.1:{@code port} (0: any free port); waits for a port still held by another test to free up. */
    GatewayServer startGateway(int port) {
        AtomicReference<GatewayServer> started = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsMatching(e -> e instanceof IllegalStateException)
                .until(() -> {
                    started.set(GatewayServer.start(kafka.config(live, Map.of(GatewaySettings.HTTP_PORT, Integer.toString(port),
                            GatewaySettings.HTTP_HOST, "127.0.0.1"))));
                    return true;
                });
        await().atMost(Duration.ofSeconds(30)).until(started.get()::isReady);
        return started.get();
    }

    /** The gateway's own count of open WebSocket connections on {@code channel}, from {@code GET /metrics}. */
    static int connections(GatewayServer gateway, String channel) {
        try {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Matcher m = Pattern.compile("(?m)^etrms_gateway_connections\\{[^}]*channel=\"" + Pattern.quote(channel) + "\"[^}]*}\\s+([0-9.Ee+-]+)$")
                    .matcher(metrics.body());
            return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
