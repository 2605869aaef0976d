package io.etrms.streams.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.RiskLimits;
import io.etrms.model.binary.BinaryWriter;
import org.junit.jupiter.api.Test;

/** The global limits store's binary values: every field survives, and format version 1 (before reconciliation) still reads. */
class RiskLimitsStoreTest {

    @Test
    void shouldRoundTripEveryFieldAndReadVersionOneWithoutTheReconciliationFields() {
        RiskLimits all = new RiskLimits(20.0, 50_000.0, 5.0, null, 200_000.0, -1.0, 60L, null, 0L, 75.0, "17:00", "America/New_York", true, "closed", 0.001, 45L);
        RiskLimits none = new RiskLimits(null, null, null, null, null, null, null, null, null);
        assertThat(RiskLimitsStore.SERDE.deserialize("t", RiskLimitsStore.SERDE.serialize("t", all))).isEqualTo(all);
        assertThat(RiskLimitsStore.SERDE.deserialize("t", RiskLimitsStore.SERDE.serialize("t", none))).isEqualTo(none);

        // version 1: max_leverage 3 and cooldown_seconds 10 set, every other field absent
        BinaryWriter v1 = new BinaryWriter(32).writeByte(1).writeNullableDouble(null).writeNullableDouble(null).writeNullableDouble(3.0)
                .writeNullableDouble(null).writeNullableDouble(null).writeNullableDouble(null).writeNullableLong(null)
                .writeNullableLong(null).writeNullableLong(10L);
        assertThat(RiskLimitsStore.SERDE.deserialize("t", v1.toByteArray()))
                .isEqualTo(new RiskLimits(null, null, 3.0, null, null, null, null, null, 10L));
    }
}
