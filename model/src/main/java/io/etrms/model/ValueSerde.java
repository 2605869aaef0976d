package io.etrms.model;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A topic's value serde that is its own serializer and deserializer, so that producers, consumers,
 * topologies and tests take {@link Topic#valueSerde()} directly: {@link JsonSerde} for public
 * topics, {@link io.etrms.model.binary.BinarySerde} inside ETRMS.
 */
public interface ValueSerde<T> extends Serde<T>, Serializer<T>, Deserializer<T> {

    /** The version of the values' format (the {@code etrms-schema-version} header of every record written). */
    int schemaVersion();

    @Override
    default Serializer<T> serializer() {
        return this;
    }

    @Override
    default Deserializer<T> deserializer() {
        return this;
    }

    @Override
    default void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    default void close() {
        // stateless
    }
}
