package io.etrms.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells, through the Admin API only, how far a consumer group (a Kafka Streams application) has
 * committed on a set of topics compared with their end offsets. "Everything committed" is the
 * moment a topology has durably processed its input: what the throughput benchmark times.
 */
public final class CommitWatcher implements AutoCloseable {

    private final Admin admin;

    public CommitWatcher(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The partitions of {@code topics}. */
    public List<TopicPartition> partitions(List<String> topics) {
        Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
        return described.values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .toList();
    }

    /** End offset of every partition (the offset the next record will get). */
    public Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(request).all()).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Committed offset of {@code group} on each partition; 0 where it committed nothing yet. */
    public Map<TopicPartition, Long> committed(String group, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata om = offsets.get(tp);
            out.put(tp, om == null ? 0L : om.offset());
        }
        return out;
    }

    /**
     * Records {@code group} still has to commit on {@code partitions}: Σ max(0, end − committed).
     * A transactional topic ends with a commit marker, so a read_committed group whose last
     * commit was before the marker shows 1 here until its next commit.
     */
    public long uncommitted(String group, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = endOffsets(partitions);
        Map<TopicPartition, Long> committed = committed(group, partitions);
        long lag = 0;
        for (TopicPartition tp : partitions) {
            lag += Math.max(0, end.get(tp) - committed.get(tp));
        }
        return lag;
    }

    /**
     * Waits until every partition of {@code topics} answers a ListOffsets request at its leader.
     * Producing into a topic the moment it was created gets NOT_LEADER_OR_FOLLOWER while the
     * broker catches up with the new metadata, and on a loaded machine we saw the idempotent
     * producer's retries then stall on OUT_OF_ORDER_SEQUENCE_NUMBER; so the benchmarks wait.
     */
    public void awaitLeaders(List<String> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                endOffsets(partitions(topics));
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("admin request failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
