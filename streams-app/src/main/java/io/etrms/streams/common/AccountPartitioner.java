package io.etrms.streams.common;

import io.etrms.model.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions {@code account|exchange|symbol} keys by their account part, with the hash of
 * Kafka's default partitioner. A position therefore lands on the same partition number as a
 * transfer keyed by the bare account, so the account stage reads both co-partitioned without a
 * repartition topic.
 */
public final class AccountPartitioner<V> implements StreamPartitioner<String, V> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        return Optional.of(Set.of(partitionOf(Keys.accountOf(key), numPartitions)));
    }

    /** Same as Kafka's built-in partitioner for a non-null String key. */
    public static int partitionOf(String account, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
