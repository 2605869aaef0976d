package io.etrms.model.binary;

import io.etrms.model.ValueSerde;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The serde of ETRMS's internal values (state stores, changelogs, the internal stage-1 → stage-2
 * topic): one format-version byte, then the {@link BinaryCodec}'s fields. Several times smaller
 * and faster than JSON; public topics stay JSON. Null in, null out; a value that does not decode
 * fails with {@link SerializationException}.
 */
public final class BinarySerde<T> implements ValueSerde<T> {

    private final String name;
    private final int version;
    private final int sizeHint;
    private final BinaryCodec<T> codec;

    /**
     * @param name     what the values are, for error messages
     * @param version  the format version written (1–127); reads accept 1 to this version
     * @param sizeHint the usual encoded size in bytes (the first buffer's size)
     */
    public BinarySerde(String name, int version, int sizeHint, BinaryCodec<T> codec) {
        if (version < 1 || version > 127) {
            throw new IllegalArgumentException("format version must be 1-127, was " + version);
        }
        this.name = name;
        this.version = version;
        this.sizeHint = sizeHint;
        this.codec = codec;
    }

    /** The {@code content-type} header of the records it writes. */
    public static final String CONTENT_TYPE = "application/vnd.etrms+binary";
    private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    public int schemaVersion() {
        return version;
    }

    /** Like {@link io.etrms.model.JsonSerde}: every record it writes says its content type and format version. */
    @Override
    public byte[] serialize(String topic, org.apache.kafka.common.header.Headers headers, T data) {
        byte[] bytes = serialize(topic, data);
        if (bytes != null && headers != null) {
            headers.remove(io.etrms.model.JsonSerde.CONTENT_TYPE_HEADER).add(io.etrms.model.JsonSerde.CONTENT_TYPE_HEADER, CONTENT_TYPE_BYTES);
            headers.remove(io.etrms.model.JsonSerde.SCHEMA_VERSION_HEADER).add(io.etrms.model.JsonSerde.SCHEMA_VERSION_HEADER,
                    Integer.toString(version).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        BinaryWriter out = new BinaryWriter(sizeHint);
        out.writeByte(version);
        codec.write(out, data);
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            BinaryReader in = new BinaryReader(data);
            int written = in.readByte();
            if (written == '{') {
                throw new IllegalArgumentException("this is JSON, as ETRMS wrote its state before topology v2: reset the"
                        + " topology's state to upgrade (docs/operations.md, \"Upgrading\")");
            }
            if (written < 1 || written > version) {
                throw new IllegalArgumentException("format version " + written + " (this build reads 1 to " + version + ")");
            }
            T value = codec.read(in, written);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes after the value");
            }
            return value;
        } catch (RuntimeException e) {
            throw new SerializationException("cannot decode " + name + (topic == null ? "" : " from " + topic) + ": " + e.getMessage(), e);
        }
    }
}
