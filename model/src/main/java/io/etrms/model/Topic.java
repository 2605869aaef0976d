package io.etrms.model;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One topic of DESIGN.md: full name (prefix applied), partition count, topic configs (cleanup
 * policy, retention) and serdes. Producers, topologies, the gateway and tests all use these.
 */
public record Topic<V>(String name, int partitions, Map<String, String> configs, JsonSerde<V> valueSerde) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public Class<V> valueType() {
        return valueSerde.type();
    }
}
