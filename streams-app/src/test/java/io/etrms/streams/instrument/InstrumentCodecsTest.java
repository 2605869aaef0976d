package io.etrms.streams.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Stage 1's store values survive their binary format unchanged (a changelog restore gives back what was stored). */
class InstrumentCodecsTest {

    @Test
    void shouldRoundTripEveryStoreValue() {
        InstrumentState state = new InstrumentState(new BigDecimal("65000.125"), 1_764_000_000_123L, 42, 7, 35, -0.0123, 0.000456,
                new BigDecimal("64000"), 3, 1, new PartitionCounts(new int[] {0, 5, 2}), true);
        assertThat(InstrumentCodecs.STATE.deserialize("t", InstrumentCodecs.STATE.serialize("t", state))).isEqualTo(state);
        assertThat(InstrumentCodecs.STATE.deserialize("t", InstrumentCodecs.STATE.serialize("t", InstrumentState.EMPTY)))
                .isEqualTo(InstrumentState.EMPTY);
        TickEntry first = new TickEntry(new BigDecimal("1E+2"), 5, null);
        TickEntry later = new TickEntry(new BigDecimal("100.5"), 6, Math.log(100.5 / 100));
        assertThat(InstrumentCodecs.TICK.deserialize("t", InstrumentCodecs.TICK.serialize("t", first))).isEqualTo(first);
        assertThat(InstrumentCodecs.TICK.deserialize("t", InstrumentCodecs.TICK.serialize("t", later))).isEqualTo(later);
        HeldTick held = new HeldTick(new BigDecimal("150"), 9, "etrms.prices", 2, 77L, 1_764_000_000_000L);
        assertThat(InstrumentCodecs.HELD.deserialize("t", InstrumentCodecs.HELD.serialize("t", held))).isEqualTo(held);
    }
}
