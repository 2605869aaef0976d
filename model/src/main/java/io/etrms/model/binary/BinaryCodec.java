package io.etrms.model.binary;

/**
 * How one type is written and read by {@link BinarySerde}. {@code read} receives the format version
 * the value was written with, so a codec that changes its layout keeps reading what older
 * versions wrote (store changelogs and internal topics outlive a deployment).
 */
public interface BinaryCodec<T> {

    void write(BinaryWriter out, T value);

    T read(BinaryReader in, int version);
}
