package io.etrms.model.binary;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the compact binary encoding of {@link BinarySerde}: unsigned varints for counts and
 * lengths, zig-zag varints for signed numbers (Protocol Buffers' encodings, as Kafka's own
 * record format uses), decimals as scale + unscaled value, and a presence byte before every
 * value that may be null. Not thread-safe: one writer per value.
 */
public final class BinaryWriter {

    static final byte NULL = 0;
    static final byte PRESENT = 1;
    /** A decimal whose unscaled value fits in a long: zig-zag varlong. */
    static final byte DECIMAL_COMPACT = 1;
    /** A decimal with a larger unscaled value: length-prefixed two's-complement bytes. */
    static final byte DECIMAL_BIG = 2;

    private byte[] buffer;
    private int size;

    public BinaryWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    public BinaryWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public BinaryWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    /** An unsigned varint (a count or a length). */
    public BinaryWriter writeUnsignedVarint(int value) {
        ensure(5);
        int v = value;
        while ((v & 0xFFFFFF80) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    /** A signed int, zig-zag encoded. */
    public BinaryWriter writeVarint(int value) {
        return writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    /** A signed long, zig-zag encoded. */
    public BinaryWriter writeVarlong(long value) {
        ensure(10);
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    public BinaryWriter writeDouble(double value) {
        long bits = Double.doubleToRawLongBits(value);
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (bits >>> shift);
        }
        return this;
    }

    public BinaryWriter writeNullableDouble(Double value) {
        if (value == null) {
            return writeByte(NULL);
        }
        return writeByte(PRESENT).writeDouble(value);
    }

    public BinaryWriter writeNullableLong(Long value) {
        if (value == null) {
            return writeByte(NULL);
        }
        return writeByte(PRESENT).writeVarlong(value);
    }

    /** A string as UTF-8, length-prefixed; null is length −1. */
    public BinaryWriter writeString(String value) {
        if (value == null) {
            return writeVarint(-1);
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeVarint(bytes.length);
        return writeBytes(bytes);
    }

    public BinaryWriter writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** A decimal exactly: its scale and unscaled value (no rounding, no normalisation). */
    public BinaryWriter writeDecimal(BigDecimal value) {
        if (value == null) {
            return writeByte(NULL);
        }
        BigInteger unscaled = value.unscaledValue();
        if (unscaled.bitLength() < 64) {
            writeByte(DECIMAL_COMPACT).writeVarlong(unscaled.longValue());
        } else {
            byte[] bytes = unscaled.toByteArray();
            writeByte(DECIMAL_BIG).writeUnsignedVarint(bytes.length).writeBytes(bytes);
        }
        return writeVarint(value.scale());
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
