package io.etrms.gateway;

import io.etrms.model.AccountsSnapshot;
import io.etrms.model.Decimals;
import io.etrms.model.Alert;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Payloads in the shapes of docs/api/schemas with hand-checkable numbers. */
final class Samples {

    static final long TS = 1_764_000_000_000L;

    private Samples() {
    }

    static Position position(String account, String exchange, String symbol, String size, String entry, String current) {
        BigDecimal q = new BigDecimal(size);
        BigDecimal e = new BigDecimal(entry);
        BigDecimal c = new BigDecimal(current);
        return new Position(account, exchange, symbol, q, e, c, Decimals.normalize(c.subtract(e).multiply(q)), BigDecimal.ZERO,
                Decimals.normalize(q.abs().multiply(c)), BigDecimal.ZERO, 0.0, 0.0, TS, TS);
    }

    /** main: binance BTC 0.5 @ 50000 → 51000 (value 25500, upnl 500), okx ETH -2 @ 3000 → 2900 (value 5800, upnl 200). */
    static PortfolioSnapshot portfolio(String account, long timestamp) {
        Position btc = position(account, "binance", "BTC/USDT:USDT", "0.5", "50000", "51000");
        Position eth = position(account, "okx", "ETH/USDT:USDT", "-2", "3000", "2900");
        Map<String, PortfolioSnapshot.ExchangePositions> exchanges = new LinkedHashMap<>();
        exchanges.put("binance", new PortfolioSnapshot.ExchangePositions(new BigDecimal("25500"), new BigDecimal("500"), BigDecimal.ZERO, List.of(btc)));
        exchanges.put("okx", new PortfolioSnapshot.ExchangePositions(new BigDecimal("5800"), new BigDecimal("200"), BigDecimal.ZERO, List.of(eth)));
        return new PortfolioSnapshot(PortfolioSnapshot.TYPE, account, timestamp, new BigDecimal("31300"), new BigDecimal("700"),
                BigDecimal.ZERO, exchanges);
    }

    static AccountsSnapshot accounts(String account, long timestamp) {
        Map<String, AccountsSnapshot.ExchangeAccount> accounts = new LinkedHashMap<>();
        accounts.put("binance", new AccountsSnapshot.ExchangeAccount(new BigDecimal("10000"), new BigDecimal("10500"),
                new BigDecimal("500"), BigDecimal.ZERO, new BigDecimal("25500"), new BigDecimal("10000"), 2.43));
        accounts.put("okx", new AccountsSnapshot.ExchangeAccount(new BigDecimal("5000"), new BigDecimal("5200"),
                new BigDecimal("200"), BigDecimal.ZERO, new BigDecimal("5800"), new BigDecimal("5000"), 1.12));
        return new AccountsSnapshot(AccountsSnapshot.TYPE, account, timestamp, accounts);
    }

    static RiskMetricsSnapshot riskMetrics(String account, long timestamp) {
        Map<String, RiskMetricsSnapshot.ExchangeMetrics> exchanges = new LinkedHashMap<>();
        exchanges.put("binance", new RiskMetricsSnapshot.ExchangeMetrics(new BigDecimal("25500"), new BigDecimal("25500"),
                new BigDecimal("10500"), new BigDecimal("500"), BigDecimal.ZERO, 2.43));
        exchanges.put("okx", new RiskMetricsSnapshot.ExchangeMetrics(new BigDecimal("5800"), new BigDecimal("-5800"),
                new BigDecimal("5200"), new BigDecimal("200"), BigDecimal.ZERO, 1.12));
        Map<String, RiskMetricsSnapshot.SymbolMetrics> symbols = new LinkedHashMap<>();
        symbols.put("BTC/USDT:USDT", new RiskMetricsSnapshot.SymbolMetrics(new BigDecimal("25500"), new BigDecimal("25500"),
                new BigDecimal("500"), 1.5, 2.0));
        symbols.put("ETH/USDT:USDT", new RiskMetricsSnapshot.SymbolMetrics(new BigDecimal("5800"), new BigDecimal("-5800"),
                new BigDecimal("200"), 2.5, -3.3));
        return new RiskMetricsSnapshot(RiskMetricsSnapshot.TYPE, account, timestamp, new RiskMetricsSnapshot.RiskMetrics(
                new BigDecimal("31300"), new BigDecimal("19700"), new BigDecimal("15700"), new BigDecimal("16000"),
                1.875, 2.5, new BigDecimal("700"), new BigDecimal("-300"), 1.99, "ACTIVE", exchanges, symbols));
    }

    static Alert alert(String account, long alertId, String exchange, String symbol) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("value", 12.5);
        context.put("threshold", 10);
        context.put("current_drawdown", 12.5);
        return new Alert(Alert.TRIPPED, alertId, account, "max_drawdown", "Drawdown 12.5% exceeds 10%", exchange, symbol,
                "critical", TS / 1000 + alertId, context, "halt", "published HALT for " + account, TS + alertId);
    }
}
