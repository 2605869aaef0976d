package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The filtered portfolio's totals, by hand:
 * <pre>
 * binance BTC  0.5 @ 60000 → 62000: notional 31000, unrealized  1000, realized   250.5
 * binance ETH  2   @  3000 →  2950: notional  5900, unrealized  -100, realized  -10.25
 * okx     ETH -4   @  3000 →  3100: notional 12400, unrealized  -400, realized -150
 * binance totals as published: value 36900, unrealized 900, realized 300 (240.25 + 59.75 of a closed position)
 * okx totals as published:     value 12400, unrealized -400, realized -150
 * </pre>
 */
class PortfolioFilterTest {

    private static Position position(String exchange, String symbol, String size, String notional, String unrealized, String realized) {
        return new Position("alpha", exchange, symbol, new BigDecimal(size), BigDecimal.ONE, BigDecimal.ONE, new BigDecimal(unrealized),
                new BigDecimal(realized), new BigDecimal(notional), BigDecimal.ZERO, 0.0, 0.0, 1L, 1L);
    }

    private static PortfolioSnapshot portfolio() {
        Map<String, PortfolioSnapshot.ExchangePositions> exchanges = new LinkedHashMap<>();
        exchanges.put("binance", new PortfolioSnapshot.ExchangePositions(new BigDecimal("36900"), new BigDecimal("900"), new BigDecimal("300"),
                List.of(position("binance", "BTC/USDT:USDT", "0.5", "31000", "1000", "250.5"),
                        position("binance", "ETH/USDT:USDT", "2", "5900", "-100", "-10.25"))));
        exchanges.put("okx", new PortfolioSnapshot.ExchangePositions(new BigDecimal("12400"), new BigDecimal("-400"), new BigDecimal("-150"),
                List.of(position("okx", "ETH/USDT:USDT", "-4", "12400", "-400", "-150"))));
        return new PortfolioSnapshot(PortfolioSnapshot.TYPE, "alpha", 7L, new BigDecimal("49300"), new BigDecimal("500"), new BigDecimal("150"),
                exchanges);
    }

    @Test
    void shouldSumOneSymbolAcrossExchangesOverWhatIsShown() {
        PortfolioSnapshot eth = PortfolioFilter.apply(portfolio(), null, "ETH/USDT:USDT");

        assertThat(eth.exchanges()).containsOnlyKeys("binance", "okx");
        assertThat(eth.exchanges().get("binance").positions()).extracting(Position::symbol).containsExactly("ETH/USDT:USDT");
        assertThat(eth.exchanges().get("binance").totalPositionValue()).isEqualByComparingTo("5900");
        assertThat(eth.exchanges().get("binance").totalRealizedPnl()).isEqualByComparingTo("-10.25");
        assertThat(eth.totalPositionValue()).isEqualByComparingTo("18300");     // 5900 + 12400
        assertThat(eth.totalUnrealizedPnl()).isEqualByComparingTo("-500");      // -100 - 400
        assertThat(eth.totalRealizedPnl()).isEqualByComparingTo("-160.25");     // -10.25 - 150
        assertThat(eth.account()).isEqualTo("alpha");
        assertThat(eth.timestamp()).isEqualTo(7L);
    }

    @Test
    void shouldKeepAnExchangesOwnTotalsWithoutASymbolAndDropExchangesWithoutTheSymbol() {
        PortfolioSnapshot binance = PortfolioFilter.apply(portfolio(), "binance", null);
        assertThat(binance.exchanges()).containsOnlyKeys("binance");
        // the exchange's published realized PnL (300) includes a closed position's: it is kept as published
        assertThat(binance.totalRealizedPnl()).isEqualByComparingTo("300");
        assertThat(binance.totalPositionValue()).isEqualByComparingTo("36900");

        PortfolioSnapshot btcOnOkx = PortfolioFilter.apply(portfolio(), "okx", "BTC/USDT:USDT");
        assertThat(btcOnOkx.exchanges()).isEmpty();
        assertThat(btcOnOkx.totalPositionValue()).isEqualByComparingTo("0");
        assertThat(btcOnOkx.totalUnrealizedPnl()).isEqualByComparingTo("0");
    }
}
