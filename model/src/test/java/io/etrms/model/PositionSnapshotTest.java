package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The rules of {@code position-snapshots}: those of every input id, symbol, decimal and timestamp; a size may be 0 or negative. */
class PositionSnapshotTest {

    private static final long TS = 1_764_000_000_000L;

    private static PositionSnapshot read(String json) throws Exception {
        return Json.MAPPER.readValue(json, PositionSnapshot.class);
    }

    @Test
    void shouldAcceptASignedOrZeroSize() throws Exception {
        PositionSnapshot flat = read("{\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"size\":0,\"timestamp\":" + TS + "}");
        PositionSnapshot shortOne = new PositionSnapshot("main", "binance", "BTC/USDT:USDT", new BigDecimal("-2.5"), TS);

        assertThat(flat).isEqualTo(new PositionSnapshot("main", "binance", "BTC/USDT:USDT", BigDecimal.ZERO, TS));
        assertThat(flat.problems()).isEmpty();
        assertThat(shortOne.problems()).isEmpty();
        assertThat(shortOne.positionKey()).isEqualTo("main|binance|BTC/USDT:USDT");
    }

    @Test
    void shouldListEveryBrokenRule() throws Exception {
        PositionSnapshot missing = read("{\"exchange\":\"bin|ance\",\"symbol\":\" \"}");
        PositionSnapshot outOfBounds = new PositionSnapshot("main", "binance", "X".repeat(65), new BigDecimal("1e-19"), 999L);

        assertThat(missing.problems()).containsExactly("missing field account", "exchange must not contain '|'",
                "symbol must not be blank", "missing field size", "missing field timestamp");
        assertThat(outOfBounds.problems()).containsExactly("symbol longer than 64 characters (65)",
                "size has more than 18 decimal places: 1E-19",
                "timestamp out of range (epoch millis between 2000-01-01 and now + 1 day): 999");
    }

    @Test
    void shouldReadTheReconciliationLimitsAndLeaveThemNullWhenAbsent() throws Exception {
        RiskLimits with = Json.MAPPER.readValue("{\"reconciliation_tolerance\":\"0.001\",\"reconciliation_grace_seconds\":45}", RiskLimits.class);
        RiskLimits without = Json.MAPPER.readValue("{\"max_leverage\":3}", RiskLimits.class);

        assertThat(with.reconciliationTolerance()).isEqualTo(0.001);
        assertThat(with.reconciliationGraceSeconds()).isEqualTo(45L);
        assertThat(without).isEqualTo(new RiskLimits(null, null, 3.0, null, null, null, null, null, null));
    }
}
