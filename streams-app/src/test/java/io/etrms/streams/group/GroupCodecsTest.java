package io.etrms.streams.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Alert;
import io.etrms.model.TradingState;
import io.etrms.model.binary.BinaryWriter;
import io.etrms.streams.group.GroupState.Tripped;
import io.etrms.streams.group.GroupState.Warned;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Stage 3's group state in its store: version 2 with the warnings given, version 1 (before them) still read. */
class GroupCodecsTest {

    private static final String GROSS = GroupState.key(Alert.GROUP_MAX_GROSS_EXPOSURE, Alert.ANY);
    private static final String LOSS = GroupState.key(Alert.GROUP_DAILY_LOSS, Alert.ANY);

    @Test
    void shouldKeepTheWarningsGivenWithTheGroupsState() {
        Tripped tripped = new Tripped(Alert.GROUP_DAILY_LOSS, Alert.ANY, 5_000, false, TradingState.HALTED, "d",
                new TreeMap<>(Map.of("value", new BigDecimal("-1100"))));
        GroupState state = new GroupState(3, new BigDecimal("85000"), new BigDecimal("-5000"), new BigDecimal("120000"),
                new BigDecimal("-1100"), new TreeMap<>(Map.of("BTC/USDT", new BigDecimal("30000"))), new BigDecimal("121100"),
                new TreeMap<>(Map.of(LOSS, tripped)), 9_000L, 10_000L,
                new TreeMap<>(Map.of(GROSS, new Warned(4_000, false), LOSS, new Warned(5_000, true))));
        byte[] bytes = GroupCodecs.STATE.serialize("t", state);
        assertThat(bytes[0]).isEqualTo((byte) 2);
        assertThat(GroupCodecs.STATE.deserialize("t", bytes)).isEqualTo(state);
    }

    @Test
    void shouldReadTheFirstVersionAsNoWarningGiven() {
        BinaryWriter v1 = new BinaryWriter(64);
        v1.writeByte(1).writeUnsignedVarint(2).writeDecimal(new BigDecimal("70000")).writeDecimal(new BigDecimal("70000"))
                .writeDecimal(new BigDecimal("1000")).writeDecimal(BigDecimal.ZERO);
        v1.writeUnsignedVarint(1).writeString("BTC/USDT").writeDecimal(new BigDecimal("70000"));     // symbol exposure
        v1.writeDecimal(new BigDecimal("1000")).writeUnsignedVarint(0);                            // peak, nothing tripped
        v1.writeNullableLong(9_000L).writeNullableLong(10_000L);
        GroupState read = GroupCodecs.STATE.deserialize("t", v1.toByteArray());
        assertThat(read).isEqualTo(new GroupState(2, new BigDecimal("70000"), new BigDecimal("70000"), new BigDecimal("1000"),
                BigDecimal.ZERO, new TreeMap<>(Map.of("BTC/USDT", new BigDecimal("70000"))), new BigDecimal("1000"), new TreeMap<>(),
                9_000L, 10_000L, new TreeMap<>()));
    }
}
