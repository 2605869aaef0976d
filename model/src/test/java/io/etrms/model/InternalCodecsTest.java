package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The internal topic's layouts, pinned byte by byte: they live in Kafka and in changelogs, so a
 * change of layout must be a new format version that still reads this one.
 */
class InternalCodecsTest {

    private static final String TOPIC = "etrms.account-updates";

    @Test
    void shouldPinThePositionChangeLayout() {
        Position p = new Position("a", "b", "C", new BigDecimal("2"), new BigDecimal("100"), new BigDecimal("110"), new BigDecimal("20"),
                new BigDecimal("-0.5"), new BigDecimal("220"), new BigDecimal("0.5"), null, 1.0, null, 3L);
        byte[] bytes = InternalCodecs.ACCOUNT_UPDATE.serialize(TOPIC, new PositionChange(p));
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "01" + "01"                           // format version 1, kind 1: a position change
                + "0261" + "0262" + "0243"            // "a", "b", "C"
                + "010400"                            // size 2 (zig-zag 4), scale 0
                + "01c80100"                          // entry 100 (zig-zag 200 = c8 01)
                + "01dc0100"                          // current 110 (zig-zag 220 = dc 01)
                + "012800"                            // unrealized 20
                + "010902"                            // realized −0.5: unscaled −5 (zig-zag 9), scale 1 (2)
                + "01b80300"                          // notional 220 (440 = b8 03)
                + "010a02"                            // fees 0.5: unscaled 5 (10), scale 1
                + "00"                                // volatility null
                + "013ff0000000000000"                // price move 1.0 (IEEE 754 big-endian)
                + "00"                                // price timestamp null
                + "0106");                            // timestamp 3 (zig-zag 6)
        assertThat(InternalCodecs.ACCOUNT_UPDATE.deserialize(TOPIC, bytes)).isEqualTo(new PositionChange(p));
    }

    @Test
    void shouldPinTheInstrumentMarkLayout() {
        InstrumentMark m = new InstrumentMark("b", "C", new BigDecimal("1.5"), 2L, 0.0, -1.0, 2L, Set.of(2, 0));
        byte[] bytes = InternalCodecs.ACCOUNT_UPDATE.serialize(TOPIC, m);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "01" + "02"                           // format version 1, kind 2: a mark
                + "0262" + "0243"                     // "b", "C"
                + "011e02"                            // price 1.5
                + "0104"                              // price timestamp 2
                + "010000000000000000"                // volatility 0.0
                + "01bff0000000000000"                // price move −1.0
                + "04"                                // timestamp 2
                + "02" + "00" + "02");                // partitions {0, 2}, in order
        assertThat(InternalCodecs.ACCOUNT_UPDATE.deserialize(TOPIC, bytes)).isEqualTo(m);
    }
}
