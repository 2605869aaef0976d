package io.etrms.streams.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Position;
import io.etrms.model.binary.BinaryWriter;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.model.binary.BinaryWriter;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.ExchangePosition;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.SessionCalendar;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Stage 2's store values survive their binary format unchanged (a changelog restore gives back what was stored). */
class AccountCodecsTest {

    @Test
    void shouldRoundTripEveryStoreValue() {
        Position p = new Position("main", "binance", "BTC/USDT:USDT", new BigDecimal("-0.25"), new BigDecimal("100.6666666666666666666666666666667"),
                new BigDecimal("101"), new BigDecimal("-0.083333333333333333"), new BigDecimal("12.5"), new BigDecimal("25.25"),
                new BigDecimal("0.01"), 1.5, -2.25, 7L, 8L);
        StoredPosition stored = new StoredPosition(p, 12);
        assertThat(AccountCodecs.POSITION.deserialize("t", AccountCodecs.POSITION.serialize("t", stored))).isEqualTo(stored);

        Mark mark = new Mark(new BigDecimal("101"), 7L, 1.5, null, 8, 3, 1_764_000_000_000L, null);
        assertThat(AccountCodecs.MARK.deserialize("t", AccountCodecs.MARK.serialize("t", mark))).isEqualTo(mark);

        AccountState state = new AccountState(new TreeMap<>(Map.of("binance", new BigDecimal("1000"), "kraken", new BigDecimal("-5.5"))),
                new BigDecimal("1012.5"), 3.25, 20_417, new BigDecimal("-1"), new BigDecimal("12.5"), 1_764_025_200_000L);
        assertThat(AccountCodecs.STATE.deserialize("t", AccountCodecs.STATE.serialize("t", state))).isEqualTo(state);
        assertThat(AccountCodecs.STATE.deserialize("t", AccountCodecs.STATE.serialize("t", AccountState.empty())))
                .isEqualTo(AccountState.empty());

        BreakerState breakers = new BreakerState(5, 3, 99L, 1_764_000_000_000L,
                new TreeMap<>(Map.of("max_leverage|*|*", new BreakerState.Tripped("max_leverage", "*", "*", 4, 90, true, "reduce_only"))),
                new TreeMap<>(Map.of("*|*", "REDUCE_ONLY")), new TreeMap<>(Map.of("binance|BTC", 1_764_000_000_001L)),
                new Limits(20, 50_000, 5, 1_000_000, 200_000, 10, 60, 30, 60, 75,
                        new SessionCalendar(LocalTime.of(17, 0), ZoneId.of("America/New_York"), true), DrawdownBasis.CLOSED, 0.001, 45),
                new TreeMap<>(Map.of("max_drawdown|*|*", new BreakerState.Warned(2, 80, false))));
        assertThat(AccountCodecs.BREAKERS.deserialize("t", AccountCodecs.BREAKERS.serialize("t", breakers))).isEqualTo(breakers);
        assertThat(AccountCodecs.BREAKERS.deserialize("t", AccountCodecs.BREAKERS.serialize("t", BreakerState.initial())))
                .isEqualTo(BreakerState.initial());

        ExchangePosition differs = new ExchangePosition("binance", "BTC/USDT:USDT", new BigDecimal("-2.5"), 1_764_000_000_000L, 1_763_999_990_000L);
        ExchangePosition agrees = new ExchangePosition("okx", "ETH/USDT", BigDecimal.ZERO, 1_764_000_000_000L, null);
        assertThat(AccountCodecs.EXCHANGE_POSITION.deserialize("t", AccountCodecs.EXCHANGE_POSITION.serialize("t", differs))).isEqualTo(differs);
        assertThat(AccountCodecs.EXCHANGE_POSITION.deserialize("t", AccountCodecs.EXCHANGE_POSITION.serialize("t", agrees))).isEqualTo(agrees);
    }

    /**
     * Stores written before sessions, warnings and reconciliation (format version 1) are read on: UTC
     * days, the built-in rules and reconciliation limits, no warning given; written again as version 2.
     */
    @Test
    void shouldReadTheFirstVersionOfAccountAndBreakerState() {
        BinaryWriter state = new BinaryWriter(64);
        state.writeByte(1).writeUnsignedVarint(1).writeString("binance").writeDecimal(new BigDecimal("1000"));
        state.writeDecimal(new BigDecimal("1012.5")).writeDouble(3.25).writeVarlong(20_417).writeDecimal(new BigDecimal("-1"))
                .writeDecimal(new BigDecimal("12.5"));
        // Its session (UTC day 20 417) ends when day 20 418 starts: 20 418 × 86 400 000 ms.
        assertThat(AccountCodecs.STATE.deserialize("t", state.toByteArray())).isEqualTo(new AccountState(
                new TreeMap<>(Map.of("binance", new BigDecimal("1000"))), new BigDecimal("1012.5"), 3.25, 20_417, new BigDecimal("-1"),
                new BigDecimal("12.5"), 1_764_115_200_000L));

        BinaryWriter breakers = new BinaryWriter(64);
        breakers.writeByte(1).writeVarlong(5).writeVarlong(3).writeNullableLong(99L).writeNullableLong(7L);
        breakers.writeUnsignedVarint(0).writeUnsignedVarint(0).writeUnsignedVarint(0);
        breakers.writeByte(1).writeDouble(20).writeDouble(50_000).writeDouble(5).writeDouble(1_000_000).writeDouble(200_000).writeDouble(10)
                .writeVarlong(60).writeVarlong(30).writeVarlong(60);
        BreakerState read = AccountCodecs.BREAKERS.deserialize("t", breakers.toByteArray());
        assertThat(read).isEqualTo(new BreakerState(5, 3, 99L, 7L, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
                new Limits(20, 50_000, 5, 1_000_000, 200_000, 10, 60, 30, 60, 80, SessionCalendar.UTC_MIDNIGHT, DrawdownBasis.EQUITY,
                        0.00000001, 30), new TreeMap<>()));
        assertThat(AccountCodecs.BREAKERS.serialize("t", read)[0]).isEqualTo((byte) 2);
    }
}
