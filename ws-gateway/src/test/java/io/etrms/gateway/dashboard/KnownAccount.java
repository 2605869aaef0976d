package io.etrms.gateway.dashboard;

import io.etrms.model.AccountsSnapshot;
import io.etrms.model.Alert;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One account's payloads with numbers worked out by hand (docs/definitions.md):
 * <pre>
 * binance BTC/USDT:USDT  size  0.5, entry 60000, price 62000: unrealized (62000-60000) x 0.5  = 1000, notional 0.5 x 62000 = 31000, realized  250
 * okx     ETH/USDT:USDT  size -4,   entry  3000, price  3100: unrealized (3100-3000) x (-4)    = -400, notional   4 x 3100 = 12400, realized -150
 * positions: total value 31000 + 12400 = 43400, total unrealized 1000 - 400 = 600
 * binance: transfers 20000 → balance 20000 + 250 = 20250, equity 20250 + 1000 = 21250, leverage 31000 / 21250 = 1.4588
 * okx:     transfers 10000 → balance 10000 - 150 =  9850, equity  9850 -  400 =  9450, leverage 12400 /  9450 = 1.3122
 * account: equity 21250 + 9450 = 30700; exposure 43400; net 31000 - 12400 = 18600; total pnl 250 - 150 + 600 = 700
 *          leverage 43400 / 30700 = 1.4137; peak 32000 → drawdown (32000 - 30700) / 32000 x 100 = 4.0625 %
 * </pre>
 */
final class KnownAccount {

    static final long TS = 1_764_000_000_000L;

    private KnownAccount() {
    }

    static Position position(String account, String exchange, String symbol, String size, String entry, String price, String realized) {
        BigDecimal q = new BigDecimal(size);
        BigDecimal e = new BigDecimal(entry);
        BigDecimal c = new BigDecimal(price);
        return new Position(account, exchange, symbol, q, e, c, c.subtract(e).multiply(q), new BigDecimal(realized),
                q.abs().multiply(c), BigDecimal.ZERO, 0.0, 0.0, TS, TS);
    }

    static PortfolioSnapshot portfolio(String account) {
        Map<String, PortfolioSnapshot.ExchangePositions> exchanges = new LinkedHashMap<>();
        exchanges.put("binance", new PortfolioSnapshot.ExchangePositions(new BigDecimal("31000"), new BigDecimal("1000"), new BigDecimal("250"),
                List.of(position(account, "binance", "BTC/USDT:USDT", "0.5", "60000", "62000", "250"))));
        exchanges.put("okx", new PortfolioSnapshot.ExchangePositions(new BigDecimal("12400"), new BigDecimal("-400"), new BigDecimal("-150"),
                List.of(position(account, "okx", "ETH/USDT:USDT", "-4", "3000", "3100", "-150"))));
        return new PortfolioSnapshot(PortfolioSnapshot.TYPE, account, TS, new BigDecimal("43400"), new BigDecimal("600"), new BigDecimal("100"), exchanges);
    }

    static AccountsSnapshot accounts(String account) {
        Map<String, AccountsSnapshot.ExchangeAccount> accounts = new LinkedHashMap<>();
        accounts.put("binance", new AccountsSnapshot.ExchangeAccount(new BigDecimal("20250"), new BigDecimal("21250"), new BigDecimal("1000"),
                new BigDecimal("250"), new BigDecimal("31000"), new BigDecimal("20000"), 31000.0 / 21250.0));
        accounts.put("okx", new AccountsSnapshot.ExchangeAccount(new BigDecimal("9850"), new BigDecimal("9450"), new BigDecimal("-400"),
                new BigDecimal("-150"), new BigDecimal("12400"), new BigDecimal("10000"), 12400.0 / 9450.0));
        return new AccountsSnapshot(AccountsSnapshot.TYPE, account, TS, accounts);
    }

    /** Risk metrics at {@code timestamp} with account equity {@code equity} (peak 32000, max drawdown 5.5 %). */
    static RiskMetricsSnapshot riskMetrics(String account, long timestamp, String equity, String state) {
        BigDecimal eq = new BigDecimal(equity);
        BigDecimal peak = new BigDecimal("32000");
        double drawdown = peak.subtract(eq).doubleValue() / peak.doubleValue() * 100;
        Map<String, RiskMetricsSnapshot.ExchangeMetrics> exchanges = new LinkedHashMap<>();
        exchanges.put("binance", new RiskMetricsSnapshot.ExchangeMetrics(new BigDecimal("31000"), new BigDecimal("31000"),
                new BigDecimal("21250"), new BigDecimal("1000"), new BigDecimal("250"), 31000.0 / 21250.0));
        exchanges.put("okx", new RiskMetricsSnapshot.ExchangeMetrics(new BigDecimal("12400"), new BigDecimal("-12400"),
                new BigDecimal("9450"), new BigDecimal("-400"), new BigDecimal("-150"), 12400.0 / 9450.0));
        Map<String, RiskMetricsSnapshot.SymbolMetrics> symbols = new LinkedHashMap<>();
        symbols.put("BTC/USDT:USDT", new RiskMetricsSnapshot.SymbolMetrics(new BigDecimal("31000"), new BigDecimal("31000"), new BigDecimal("1000"), 1.2, 3.3));
        symbols.put("ETH/USDT:USDT", new RiskMetricsSnapshot.SymbolMetrics(new BigDecimal("12400"), new BigDecimal("-12400"), new BigDecimal("-400"), 2.1, 3.3));
        return new RiskMetricsSnapshot(RiskMetricsSnapshot.TYPE, account, timestamp, new RiskMetricsSnapshot.RiskMetrics(
                new BigDecimal("43400"), new BigDecimal("18600"), eq, peak, drawdown, 5.5, new BigDecimal("700"), new BigDecimal("-300"),
                43400.0 / eq.doubleValue(), state, exchanges, symbols));
    }

    static Alert alert(String account, long alertId, String type, String condition, String severity, String description) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("value", 6.25);
        context.put("threshold", 5);
        return new Alert(type, alertId, account, condition, description, Alert.ANY, Alert.ANY, severity, TS / 1000 + alertId, context,
                Alert.CLEARED.equals(type) ? Alert.ACTION_RESUME : Alert.ACTION_HALT, "published " + condition + " #" + alertId, TS + alertId);
    }
}
