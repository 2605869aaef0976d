package io.etrms.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;

/**
 * A Kafka serde for one record type through {@link Json#MAPPER}: null in, null out; Jackson
 * failures wrapped in {@link SerializationException}.
 *
 * <p>Every value it writes through {@link #serialize(String, Headers, Object)} carries the record
 * headers {@value #CONTENT_TYPE_HEADER}{@code : application/json} and
 * {@value #SCHEMA_VERSION_HEADER}{@code : <version>} (the version of the topic's JSON Schema in
 * {@code docs/api/schemas/}). KafkaProducer and Kafka Streams' record collector both call that
 * method, so every record ETRMS produces is labelled; a header already present is replaced, not
 * repeated (Kafka Streams hands an input record's headers on to what it forwards).
 */
public final class JsonSerde<T> implements ValueSerde<T> {

    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String SCHEMA_VERSION_HEADER = "etrms-schema-version";
    public static final String CONTENT_TYPE = "application/json";
    private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final Class<T> type;
    private final int schemaVersion;
    private final byte[] schemaVersionBytes;

    private JsonSerde(Class<T> type, int schemaVersion) {
        this.type = type;
        this.schemaVersion = schemaVersion;
        this.schemaVersionBytes = Integer.toString(schemaVersion).getBytes(StandardCharsets.UTF_8);
    }

    /** The serde of {@code type} at schema version 1. */
    public static <T> JsonSerde<T> of(Class<T> type) {
        return of(type, 1);
    }

    /** The serde of {@code type} whose values follow version {@code schemaVersion} of its JSON Schema. */
    public static <T> JsonSerde<T> of(Class<T> type, int schemaVersion) {
        return new JsonSerde<>(type, schemaVersion);
    }

    public Class<T> type() {
        return type;
    }

    /** The value of the {@value #SCHEMA_VERSION_HEADER} header. */
    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        byte[] bytes = serialize(topic, data);
        if (bytes != null && headers != null) {
            headers.remove(CONTENT_TYPE_HEADER).add(CONTENT_TYPE_HEADER, CONTENT_TYPE_BYTES);
            headers.remove(SCHEMA_VERSION_HEADER).add(SCHEMA_VERSION_HEADER, schemaVersionBytes);
        }
        return bytes;
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
