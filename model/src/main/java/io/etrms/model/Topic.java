package io.etrms.model;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic (the public ones are in docs/api/asyncapi.yaml): full name (prefix applied),
 * partition count, topic configs (cleanup policy, retention) and serdes. Producers, topologies,
 * the gateway and tests all use these.
 * Public topics carry JSON ({@link JsonSerde}); the internal {@code account-updates} topic binary.
 */
public record Topic<V>(String name, int partitions, Map<String, String> configs, ValueSerde<V> valueSerde) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }
}
