package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirmOverviewTest {

    private static AccountOverview row(String account, String state, String equity, String daily, String exposure, Integer alerts) {
        return new AccountOverview(account, state, equity == null ? null : new BigDecimal(equity), daily == null ? null : new BigDecimal(daily),
                null, exposure == null ? null : new BigDecimal(exposure), null, null, null, null, null, alerts, 1L);
    }

    @Test
    void shouldTotalTheRowsShownAndCountAbsentFiguresAsAbsent() {
        FirmOverview all = FirmOverview.of(5L, List.of(
                row("a", TradingState.ACTIVE, "1000.5", "-20", "300", 0),
                row("b", TradingState.HALTED, "250", "10.25", "0", 2),
                row("c", null, null, null, null, null)));       // alerts only, no risk metrics yet

        assertThat(all.type()).isEqualTo("overview");
        assertThat(all.totals()).isEqualTo(new FirmOverview.Totals(3, new BigDecimal("1250.5"), new BigDecimal("-9.75"), new BigDecimal("300"),
                1, 0, 2));

        FirmOverview mine = all.scopedTo(Set.of("b", "c")::contains);
        assertThat(mine.accounts()).extracting(AccountOverview::account).containsExactly("b", "c");
        assertThat(mine.totals()).isEqualTo(new FirmOverview.Totals(2, new BigDecimal("250"), new BigDecimal("10.25"), BigDecimal.ZERO, 1, 0, 2));
        assertThat(mine.timestamp()).isEqualTo(5L);
    }
}
