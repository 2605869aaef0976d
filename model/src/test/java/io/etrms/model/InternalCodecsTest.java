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

    @Test
    void shouldPinTheGroupUpdateLayout() {
        GroupUpdate u = GroupUpdate.contribution("g", "a", new GroupUpdate.Contribution(BigDecimal.ONE, BigDecimal.ONE.negate(),
                BigDecimal.valueOf(2), BigDecimal.ZERO, BigDecimal.ZERO, java.util.Map.of("B", BigDecimal.ONE)), 3L);
        byte[] bytes = InternalCodecs.GROUP_UPDATE.serialize("etrms.group-updates", u);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "01"                                  // format version 1
                + "0267" + "0261"                     // group "g", account "a"
                + "18" + "636f6e747269627574696f6e"   // kind "contribution" (12 bytes, zig-zag 24)
                + "01"                                // a contribution follows
                + "010200" + "010100" + "010400"      // gross 1, net −1 (zig-zag 1), equity 2
                + "010000" + "010000"                 // daily PnL 0, transfers 0
                + "01" + "0242" + "010200"            // one symbol: "B" → 1
                + "01" + "01" + "01"                  // condition, requested_by, reason: null (length −1)
                + "06");                              // timestamp 3
        assertThat(InternalCodecs.GROUP_UPDATE.deserialize("etrms.group-updates", bytes)).isEqualTo(u);
        GroupUpdate left = GroupUpdate.left("g", "a", 3L);
        assertThat(HexFormat.of().formatHex(InternalCodecs.GROUP_UPDATE.serialize("etrms.group-updates", left)))
                .isEqualTo("01" + "0267" + "0261" + "08" + "6c656674" + "00" + "010101" + "06"); // kind "left", no contribution
    }

    @Test
    void shouldPinTheGroupActionLayout() {
        GroupAction a = new GroupAction("a", "g", "c", "*", "S", "ACTIVE", "d", java.util.Map.of("v", new BigDecimal("5")), 3L);
        byte[] bytes = InternalCodecs.GROUP_ACTION.serialize("etrms.group-actions", a);
        String fields = "0261" + "0267" + "0263"  // account "a", group "g", condition "c"
                + "022a" + "0253"                     // exchange "*", symbol "S"
                + "0c" + "414354495645"               // state "ACTIVE"
                + "0264"                              // description "d"
                + "01" + "0276" + "010a00"            // figures: "v" → 5
                + "06";                               // timestamp 3
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "02"                                  // format version 2
                + fields
                + "00");                              // not a warning
        assertThat(InternalCodecs.GROUP_ACTION.deserialize("etrms.group-actions", bytes)).isEqualTo(a);

        GroupAction warning = new GroupAction("a", "g", "c", "*", "S", "ACTIVE", "d", java.util.Map.of("v", new BigDecimal("5")), 3L, true);
        assertThat(HexFormat.of().formatHex(InternalCodecs.GROUP_ACTION.serialize("etrms.group-actions", warning)))
                .isEqualTo("02" + fields + "01");
        assertThat(InternalCodecs.GROUP_ACTION.deserialize("etrms.group-actions",
                InternalCodecs.GROUP_ACTION.serialize("etrms.group-actions", warning))).isEqualTo(warning);

        // Version 1 (before group warnings) has no flag: a trip or re-arm.
        assertThat(InternalCodecs.GROUP_ACTION.deserialize("etrms.group-actions", HexFormat.of().parseHex("01" + fields))).isEqualTo(a);
    }
}
