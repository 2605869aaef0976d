package io.etrms.gateway;

import io.etrms.model.Topic;
import io.etrms.testing.KafkaCluster;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes test records to the real broker: typed values through the topic's serde, or raw JSON text. */
final class TopicWriter implements AutoCloseable {

    private final KafkaProducer<String, String> raw;

    TopicWriter(KafkaCluster kafka) {
        raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "0"),
                new StringSerializer(), new StringSerializer());
    }

    /** Sends {@code value} serialized by the topic's serde; returns the exact JSON text written. */
    <V> String send(Topic<V> topic, String key, V value) throws Exception {
        String json = value == null ? null : new String(topic.valueSerde().serialize(topic.name(), value), java.nio.charset.StandardCharsets.UTF_8);
        sendRaw(topic.name(), key, json);
        return json;
    }

    void sendRaw(String topic, String key, String json) throws Exception {
        raw.send(new ProducerRecord<>(topic, key, json)).get(30, TimeUnit.SECONDS);
    }

    /** Sends without waiting; {@link #flush()} waits for every send so far. */
    void sendAsync(String topic, String key, String json) {
        raw.send(new ProducerRecord<>(topic, key, json));
    }

    void flush() {
        raw.flush();
    }

    @Override
    public void close() {
        raw.close();
    }
}
