package io.etrms.streams.common;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A sink's value serializer that refuses a value larger than {@code maxBytes} with
 * {@link RecordTooLargeException}. Kafka Streams hands a serialization error to
 * {@link DeadLetterHandler}, which dead-letters it; the same record refused by the broker would
 * instead abort the transaction, fail again on every replay and stop the task for good.
 */
public final class SizeGuard<T> implements Serializer<T> {

    /** Default limit: under the broker's default {@code message.max.bytes} (1 048 588) with room for the key and headers. */
    public static final int DEFAULT_MAX_BYTES = 1_000_000;

    private final Serializer<T> inner;
    private final int maxBytes;

    public SizeGuard(Serializer<T> inner, int maxBytes) {
        this.inner = inner;
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return check(topic, inner.serialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return check(topic, inner.serialize(topic, headers, data));
    }

    private byte[] check(String topic, byte[] bytes) {
        if (bytes != null && bytes.length > maxBytes) {
            throw new RecordTooLargeException(bytes.length + " bytes, more than etrms.record.max.bytes (" + maxBytes + ")");
        }
        return bytes;
    }
}
