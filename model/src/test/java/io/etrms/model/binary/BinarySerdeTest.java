package io.etrms.model.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class BinarySerdeTest {

    private static String hex(BinaryWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    @Test
    void shouldWriteVarintsDecimalsStringsAndNullsAsDocumented() {
        // zig-zag: 0 → 0, −1 → 1, 1 → 2, 150 → 300 = 0b1_0010_1100 → 0xac 0x02
        assertThat(hex(new BinaryWriter(8).writeVarint(0).writeVarint(-1).writeVarint(1).writeVarint(150))).isEqualTo("000102ac02");
        // 1.5 = unscaled 15, scale 1: compact tag 1, zig-zag 15 → 30 = 0x1e, zig-zag scale 1 → 2
        assertThat(hex(new BinaryWriter(8).writeDecimal(new BigDecimal("1.5")))).isEqualTo("011e02");
        // −0.001 = unscaled −1, scale 3: zig-zag −1 → 1, 3 → 6
        assertThat(hex(new BinaryWriter(8).writeDecimal(new BigDecimal("-0.001")))).isEqualTo("010106");
        // 1E+3 = unscaled 1, scale −3 (kept exactly, not normalised): zig-zag −3 → 5
        assertThat(hex(new BinaryWriter(8).writeDecimal(new BigDecimal("1E+3")))).isEqualTo("010205");
        // null decimal, null long, present long 1
        assertThat(hex(new BinaryWriter(8).writeDecimal(null).writeNullableLong(null).writeNullableLong(1L))).isEqualTo("00000102");
        // "é" is 2 bytes in UTF-8: length 2 → zig-zag 4; null string → length −1 → 1
        assertThat(hex(new BinaryWriter(8).writeString("é").writeString(null))).isEqualTo("04c3a901");
    }

    @Test
    void shouldRoundTripDecimalsBeyondALongExactly() {
        BigDecimal huge = new BigDecimal("123456789012345678901234567890.123456789012345678");
        BinaryWriter w = new BinaryWriter(4);
        w.writeDecimal(huge).writeDecimal(BigDecimal.valueOf(Long.MIN_VALUE, 2)).writeDouble(-0.1);
        BinaryReader r = new BinaryReader(w.toByteArray());
        assertThat(r.readDecimal()).isEqualTo(huge);                        // equals: same scale too
        assertThat(r.readDecimal()).isEqualTo(BigDecimal.valueOf(Long.MIN_VALUE, 2));
        assertThat(r.readDouble()).isEqualTo(-0.1);
        assertThat(r.hasRemaining()).isFalse();
    }

    private final BinarySerde<String> serde = new BinarySerde<>("text", 2, 8, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, String value) {
            out.writeString(value);
        }

        @Override
        public String read(BinaryReader in, int version) {
            return version + ":" + in.readString();
        }
    });

    @Test
    void shouldPrefixTheFormatVersionAndHandItToTheCodec() {
        assertThat(HexFormat.of().formatHex(serde.serialize("t", "ab"))).isEqualTo("02046162");
        assertThat(serde.deserialize("t", HexFormat.of().parseHex("02046162"))).isEqualTo("2:ab");
        assertThat(serde.deserialize("t", HexFormat.of().parseHex("01046162"))).isEqualTo("1:ab"); // an older version is read
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void shouldRefuseNewerVersionsTruncatedValuesTrailingBytesAndTheOldJsonWithAReason() {
        assertThatThrownBy(() -> serde.deserialize("t", HexFormat.of().parseHex("03046162")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format version 3 (this build reads 1 to 2)");
        assertThatThrownBy(() -> serde.deserialize("t", HexFormat.of().parseHex("020461")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("past the end");
        assertThatThrownBy(() -> serde.deserialize("t", HexFormat.of().parseHex("0204616263")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("trailing bytes");
        assertThatThrownBy(() -> serde.deserialize("t", "{\"size\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("reset the topology's state to upgrade");
    }

    @Test
    void shouldNotAllocateWhatACorruptCountClaims() {
        // a count of 2^28 elements in a 6-byte value: refused before anything is allocated
        BinaryReader r = new BinaryReader(HexFormat.of().parseHex("8080808001"));
        assertThatThrownBy(r::readCount).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad element count");
    }
}
