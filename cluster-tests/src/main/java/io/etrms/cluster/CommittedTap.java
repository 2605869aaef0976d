package io.etrms.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Records, while a run goes on, every value the pipeline commits on some topics: a
 * {@code read_committed} consumer without a group, from the beginning, on its own thread. Unlike
 * reading the topics afterwards, it also has the values that log compaction removes later from the
 * compacted output topics, so it can tell whether what a client received was ever committed.
 */
public final class CommittedTap implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Object> adminConfig;
    private final List<String> topics;
    private final Map<String, Map<String, List<String>>> values = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private CommittedTap(String bootstrapServers, List<String> topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "etrms-committed-tap");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.topics = List.copyOf(topics);
        topics.forEach(t -> values.put(t, new LinkedHashMap<>()));
        this.thread = new Thread(this::run, "etrms-committed-tap");
        this.thread.setDaemon(true);
    }

    /** Starts tapping {@code topics} (which must exist) from their beginning. */
    public static CommittedTap start(String bootstrapServers, List<String> topics) {
        CommittedTap tap = new CommittedTap(bootstrapServers, topics);
        tap.thread.start();
        return tap;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, List<String>> byKey = values.get(r.topic());
                    synchronized (byKey) {
                        byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                    }
                }
                for (TopicPartition tp : partitions) {
                    positions.put(tp, consumer.position(tp));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Waits until the tap has read every committed record that exists now. */
    public void awaitCaughtUp(Duration timeout) {
        try (Admin admin = Admin.create(adminConfig)) {
            Awaitility.await("committed tap caught up").atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        if (failure != null) {
                            throw new IllegalStateException("committed tap failed", failure);
                        }
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        positions.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                        if (latest.isEmpty()) {
                            return false;
                        }
                        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
                        return ends.entrySet().stream().allMatch(e -> positions.get(e.getKey()) >= e.getValue().offset());
                    });
        }
    }

    /** Every committed value of {@code topic} for {@code key} so far, in order. */
    public List<String> values(String topic, String key) {
        Map<String, List<String>> byKey = values.get(topic);
        synchronized (byKey) {
            return List.copyOf(byKey.getOrDefault(key, List.of()));
        }
    }

    /** Every committed value of {@code topic} so far, per key in order. */
    public Map<String, List<String>> values(String topic) {
        Map<String, List<String>> byKey = values.get(topic);
        synchronized (byKey) {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            byKey.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return copy;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
