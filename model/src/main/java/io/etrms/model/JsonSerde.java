package io.etrms.model;

import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A Kafka serde for one record type through {@link Json#MAPPER}: null in, null out; Jackson
 * failures wrapped in {@link SerializationException}.
 */
public final class JsonSerde<T> implements ValueSerde<T> {

    private final Class<T> type;

    private JsonSerde(Class<T> type) {
        this.type = type;
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new SerializationException("cannot serialize " + type.getSimpleName() + " for " + topic, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(data, type);
        } catch (IOException e) {
            throw new SerializationException("cannot parse " + type.getSimpleName() + " from " + topic + ": " + Json.reason(e), e);
        }
    }
}
