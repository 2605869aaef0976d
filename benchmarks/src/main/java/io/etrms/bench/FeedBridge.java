package io.etrms.bench;

import io.etrms.model.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Feeds the Node.js baseline the same messages the gateway gets: a plain consumer of the
 * {@code risk-metrics} and {@code alerts} topics (every partition, from the end, like the
 * gateway's reader) forwards each value as one text message to the server's
 * {@code /feed/<channel>} socket. The gateway reads Kafka itself; Node.js gets Kafka through this
 * bridge, one loopback WebSocket hop more.
 */
public final class FeedBridge implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, WebSocket> feeds;
    private final Thread thread;
    private volatile boolean running = true;

    public FeedBridge(String bootstrap, Topics topics, int nodePort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        this.feeds = Map.of(
                topics.riskMetrics.name(), open(http, nodePort, "risk-metrics"),
                topics.alerts.name(), open(http, nodePort, "alerts"));
        this.consumer = KafkaClientSettings.newConsumer(bootstrap);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : feeds.keySet()) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "bench-feed-bridge");
        thread.setDaemon(true);
        thread.start();
    }

    private static WebSocket open(HttpClient http, int port, String channel) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/feed/" + channel),
                new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    feeds.get(r.topic()).sendText(new String(r.value(), StandardCharsets.UTF_8), true).join();
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
        feeds.values().forEach(WebSocket::abort);
    }
}
