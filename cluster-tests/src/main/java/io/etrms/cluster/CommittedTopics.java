package io.etrms.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from the beginning to their current end as a {@code read_committed} consumer
 * without a group: exactly what the exactly-once pipeline made visible, nothing of aborted
 * transactions.
 */
public final class CommittedTopics {

    private CommittedTopics() {
    }

    /**
     * Hands every record of {@code topic} (partition by partition, each in offset order) to
     * {@code sink}, up to the end each partition had when the read began.
     *
     * @return the number of records read
     */
    public static long read(String bootstrapServers, String topic, BiConsumer<String, String> sink) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long count = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 5 minutes");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    sink.accept(r.key(), r.value());
                    count++;
                }
            }
        }
        return count;
    }

    /** Every value of {@code topic} per key, in the order they were published. */
    public static Map<String, List<String>> valuesByKey(String bootstrapServers, String topic) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        read(bootstrapServers, topic, (key, value) -> out.computeIfAbsent(key, k -> new ArrayList<>()).add(value));
        return out;
    }

    /** What a run published on {@code positions} and {@code accounts}. */
    public static OutputSummary summary(String bootstrapServers, String positionsTopic, String accountsTopic, boolean keepHistory) {
        OutputSummary summary = new OutputSummary(keepHistory);
        read(bootstrapServers, positionsTopic, summary::position);
        read(bootstrapServers, accountsTopic, summary::accounts);
        return summary;
    }
}
