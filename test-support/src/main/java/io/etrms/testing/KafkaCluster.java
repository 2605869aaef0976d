package io.etrms.testing;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Kafka cluster a test runs against (one per test JVM, see {@link KafkaClusterExtension}),
 * with helpers that keep tests apart: every call to {@link #newTopics()} gives a fresh topic
 * prefix, every {@link #uniqueId(String)} a fresh application id.
 */
public final class KafkaCluster {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String bootstrapServers;
    private final String kind;

    KafkaCluster(String bootstrapServers, String kind) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code embedded} or {@code testcontainers}. */
    public String kind() {
        return kind;
    }

    public String uniqueId(String base) {
        return base + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh registry under a prefix no other test uses, with every topic created. */
    public Topics newTopics() {
        Topics topics = new Topics(uniqueId("t") + ".", Topics.DEFAULT_PARTITIONS);
        TopicAdmin.ensureTopics(TopicAdmin.adminConfig(bootstrapServers), topics.all(), (short) 1);
        return topics;
    }

    /**
     * Every record of {@code topic} as it stands now: all partitions from the beginning up to
     * their end offsets (for {@code read_committed}, the last stable offsets), keys and values as
     * text, in partition order. No consumer group.
     */
    public List<ConsumerRecord<String, String>> readToEnd(String topic, IsolationLevel isolation) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(java.util.Locale.ROOT));
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets " + end + " in 30 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /** Committed values of {@code topic} grouped by key, each key's values in order. */
    public Map<String, List<String>> committedValuesByKey(String topic) {
        Map<String, List<String>> out = new TreeMap<>();
        for (ConsumerRecord<String, String> r : readToEnd(topic, IsolationLevel.READ_COMMITTED)) {
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        return out;
    }

    /** A service configuration pointing at this cluster and at {@code topics}. */
    public EtrmsConfig config(Topics topics, Map<String, String> more) {
        EtrmsConfig config = EtrmsConfig.of(Map.of(
                EtrmsConfig.BOOTSTRAP_SERVERS, bootstrapServers,
                EtrmsConfig.TOPIC_PREFIX, topics.prefix(),
                EtrmsConfig.TOPIC_PARTITIONS, Integer.toString(Topics.DEFAULT_PARTITIONS)));
        for (Map.Entry<String, String> e : more.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }
}
