package io.etrms.ingest;

import static org.awaitility.Awaitility.await;

import io.etrms.model.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads every record of one topic from the beginning, without a consumer group. Test helper. */
final class TopicRecords<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

    TopicRecords(String bootstrapServers, Topic<V> topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), topic.keySerde().deserializer(), topic.valueSerde());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until at least {@code count} records arrived (30 s at most) and returns all read so far. */
    List<ConsumerRecord<String, V>> awaitAtLeast(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size() >= count;
        });
        return List.copyOf(records);
    }

    /** Polls until the records read so far satisfy {@code condition} (30 s at most) and returns them. */
    List<ConsumerRecord<String, V>> awaitUntil(java.util.function.Predicate<List<ConsumerRecord<String, V>>> condition) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return condition.test(records);
        });
        return List.copyOf(records);
    }

    /** The keys of the records read so far. */
    static <V> java.util.Set<String> keys(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet());
    }

    /** Waits for exactly {@code count} records: at least that many, and no more within a further poll. */
    List<ConsumerRecord<String, V>> awaitExactly(int count) {
        awaitAtLeast(count);
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return List.copyOf(records);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
