package io.etrms.bench;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka client settings every benchmark uses for its load and its baselines, in one place so
 * a baseline and the system under test always get the same producer: Kafka's defaults
 * ({@code acks=all}, idempotence on, {@code batch.size} 16 KiB) with an explicit {@code linger.ms}.
 */
public final class KafkaClientSettings {

    /** Linger of the load producers: 5 ms (Kafka 4's default) for bulk loads, 1 ms for paced latency runs. */
    public static final int BULK_LINGER_MS = 5;
    public static final int PACED_LINGER_MS = 1;

    private KafkaClientSettings() {
    }

    public static Map<String, Object> producer(String bootstrapServers, int lingerMs) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        return p;
    }

    public static KafkaProducer<String, byte[]> newProducer(String bootstrapServers, int lingerMs) {
        return new KafkaProducer<>(producer(bootstrapServers, lingerMs), new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer without a group (the benchmarks assign partitions themselves and never commit). */
    public static KafkaConsumer<String, byte[]> newConsumer(String bootstrapServers) {
        return new KafkaConsumer<>(consumer(bootstrapServers), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The same, reading only committed transactions: what a downstream reader of exactly-once output sees. */
    public static KafkaConsumer<String, byte[]> newReadCommittedConsumer(String bootstrapServers) {
        Map<String, Object> c = consumer(bootstrapServers);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> consumer(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return c;
    }
}
