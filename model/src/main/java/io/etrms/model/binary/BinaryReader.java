package io.etrms.model.binary;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BinaryWriter} wrote. Every read checks the bounds: a truncated or corrupt
 * value fails with {@link IllegalArgumentException} (which {@link BinarySerde} reports as a
 * serialization error), never with an out-of-memory allocation.
 */
public final class BinaryReader {

    private final byte[] data;
    private int position;

    public BinaryReader(byte[] data) {
        this.data = data;
    }

    public boolean hasRemaining() {
        return position < data.length;
    }

    public int readByte() {
        if (position >= data.length) {
            throw new IllegalArgumentException("truncated value at byte " + position);
        }
        return data[position++];
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public int readUnsignedVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes at byte " + position);
    }

    public int readVarint() {
        int raw = readUnsignedVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    public long readVarlong() {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("varlong longer than 10 bytes at byte " + position);
    }

    public double readDouble() {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (readByte() & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    public Double readNullableDouble() {
        return present() ? readDouble() : null;
    }

    public Long readNullableLong() {
        return present() ? readVarlong() : null;
    }

    public String readString() {
        int length = readVarint();
        if (length < 0) {
            return null;
        }
        String value = new String(data, position, checkedLength(length), StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    public BigDecimal readDecimal() {
        int tag = readByte();
        if (tag == BinaryWriter.NULL) {
            return null;
        }
        BigInteger unscaled;
        long compact = 0;
        if (tag == BinaryWriter.DECIMAL_COMPACT) {
            compact = readVarlong();
            unscaled = null;
        } else if (tag == BinaryWriter.DECIMAL_BIG) {
            int length = checkedLength(readUnsignedVarint());
            byte[] bytes = new byte[length];
            System.arraycopy(data, position, bytes, 0, length);
            position += length;
            unscaled = new BigInteger(bytes);
        } else {
            throw new IllegalArgumentException("unknown decimal tag " + tag + " at byte " + (position - 1));
        }
        int scale = readVarint();
        return unscaled == null ? BigDecimal.valueOf(compact, scale) : new BigDecimal(unscaled, scale);
    }

    /** Reads a presence byte: true when a value follows. */
    public boolean present() {
        int flag = readByte();
        if (flag != BinaryWriter.NULL && flag != BinaryWriter.PRESENT) {
            throw new IllegalArgumentException("bad presence flag " + flag + " at byte " + (position - 1));
        }
        return flag == BinaryWriter.PRESENT;
    }

    /** A count of elements that follow: bounded by the bytes left, so a corrupt count cannot allocate. */
    public int readCount() {
        int count = readUnsignedVarint();
        if (count < 0 || count > data.length - position) {
            throw new IllegalArgumentException("bad element count " + count + " at byte " + position);
        }
        return count;
    }

    private int checkedLength(int length) {
        if (length < 0 || length > data.length - position) {
            throw new IllegalArgumentException("length " + length + " past the end of the value at byte " + position);
        }
        return length;
    }
}
