package io.etrms.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etrms.model.AccountsSnapshot;
import io.etrms.model.Alert;
import io.etrms.model.Json;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.TradingState;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A desk of three accounts with every figure worked out by hand, and risk metrics that carry the
 * limits the topology publishes ({@code risk_metrics.limits} and {@code risk_metrics.position_limits},
 * {@code {limit, value, utilization_pct}} with utilization = value / limit × 100):
 * <pre>
 * alpha  ACTIVE       equity 30700     daily  -300    exposure  43400   drawdown 4.0625 %  leverage 1.4137 (43400 / 30700)
 *        limits: max_drawdown 4.0625 / 20 = 20.3125 %, daily_loss 300 / 1000 = 30 %, max_leverage 1.4137 / 3 = 47.1233 %,
 *                max_gross_exposure 43400 / 100000 = 43.4 %
 *        positions: binance BTC/USDT:USDT 0.5 @ 60000 → 62000 (notional 31000): max_position_notional 31000 / 50000 = 62 %,
 *                                                                 volatility |3.3| / 5 = 66 %   ← worst
 *                   okx ETH/USDT:USDT  -4 @ 3000 → 3100 (notional 12400):     max_position_notional 12400 / 50000 = 24.8 %,
 *                                                                 volatility |-2.1| / 5 = 42 %
 *        alerts: max_leverage tripped (1), cleared (2); volatility binance BTC tripped (3) → 1 open
 * beta   HALTED       equity 8000      daily -2500    exposure  12000   drawdown 20 %      leverage 1.5
 *        limits: max_drawdown 20 / 15 = 133.3333 % ← worst, daily_loss 2500 / 2000 = 125 %
 *        alerts: max_drawdown tripped (1), daily_loss tripped (2) → 2 open
 * gamma  REDUCE_ONLY  equity 50000.25  daily 1200.5   exposure 150000   drawdown 0 %       leverage 3; no limits switched on, no portfolio
 * totals: equity 30700 + 8000 + 50000.25 = 88700.25, daily -300 - 2500 + 1200.5 = -1599.5, exposure 205400,
 *         1 halted, 1 reduce-only, 3 open alerts
 * </pre>
 */
public final class DeskFixture {

    public static final long TS = 1_764_000_000_000L;

    private DeskFixture() {
    }

    public static ObjectNode limit(String limit, String value, double utilizationPct) {
        ObjectNode use = Json.MAPPER.createObjectNode();
        use.put("limit", new BigDecimal(limit));
        use.put("value", new BigDecimal(value));
        use.put("utilization_pct", utilizationPct);
        return use;
    }

    /** The risk-metrics JSON of {@code snapshot} with {@code limits} and {@code positionLimits} (exchange → symbol → condition) added. */
    public static String withLimits(RiskMetricsSnapshot snapshot, Map<String, ObjectNode> limits, Map<String, Map<String, Map<String, ObjectNode>>> positionLimits) {
        ObjectNode tree = Json.MAPPER.valueToTree(snapshot);
        ObjectNode metrics = (ObjectNode) tree.get("risk_metrics");
        if (limits != null) {
            ObjectNode l = metrics.putObject("limits");
            limits.forEach(l::set);
        }
        if (positionLimits != null) {
            ObjectNode byExchange = metrics.putObject("position_limits");
            positionLimits.forEach((exchange, symbols) -> {
                ObjectNode bySymbol = byExchange.putObject(exchange);
                symbols.forEach((symbol, conditions) -> {
                    ObjectNode c = bySymbol.putObject(symbol);
                    conditions.forEach(c::set);
                });
            });
        }
        return Json.write(tree);
    }

    private static RiskMetricsSnapshot metrics(String account, long ts, String equity, String peak, double drawdown, double maxDrawdown,
                                               String totalPnl, String dailyPnl, String exposure, String net, double leverage, String state,
                                               Map<String, RiskMetricsSnapshot.SymbolMetrics> symbols) {
        return new RiskMetricsSnapshot(RiskMetricsSnapshot.TYPE, account, ts, new RiskMetricsSnapshot.RiskMetrics(
                new BigDecimal(exposure), new BigDecimal(net), new BigDecimal(equity), new BigDecimal(peak), drawdown, maxDrawdown,
                new BigDecimal(totalPnl), new BigDecimal(dailyPnl), leverage, state, Map.of(), symbols));
    }

    /** alpha at {@code ts} with equity {@code equity} (peak 32000: drawdown (32000 − equity) / 32000 × 100). */
    public static String alpha(long ts, String equity, String state) {
        BigDecimal eq = new BigDecimal(equity);
        double drawdown = new BigDecimal("32000").subtract(eq).doubleValue() * 100 / 32000;
        Map<String, RiskMetricsSnapshot.SymbolMetrics> symbols = new LinkedHashMap<>();
        symbols.put("BTC/USDT:USDT", new RiskMetricsSnapshot.SymbolMetrics(new BigDecimal("31000"), new BigDecimal("31000"), new BigDecimal("1000"), 1.2, 3.3));
        symbols.put("ETH/USDT:USDT", new RiskMetricsSnapshot.SymbolMetrics(new BigDecimal("12400"), new BigDecimal("-12400"), new BigDecimal("-400"), 0.9, -2.1));
        Map<String, ObjectNode> limits = new LinkedHashMap<>();
        limits.put("max_drawdown", limit("20", Double.toString(drawdown), drawdown / 20 * 100));
        limits.put("daily_loss", limit("1000", "300", 30.0));
        limits.put("max_leverage", limit("3", "1.4137", 47.1233));
        limits.put("max_gross_exposure", limit("100000", "43400", 43.4));
        Map<String, Map<String, Map<String, ObjectNode>>> positions = new LinkedHashMap<>();
        positions.put("binance", Map.of("BTC/USDT:USDT", ordered("max_position_notional", limit("50000", "31000", 62.0),
                "volatility", limit("5", "3.3", 66.0))));
        positions.put("okx", Map.of("ETH/USDT:USDT", ordered("max_position_notional", limit("50000", "12400", 24.8),
                "volatility", limit("5", "2.1", 42.0))));
        return withLimits(metrics("alpha", ts, equity, "32000", drawdown, 5.5, "700", "-300", "43400", "18600", 1.4137, state, symbols),
                limits, positions);
    }

    public static String beta(long ts) {
        Map<String, ObjectNode> limits = new LinkedHashMap<>();
        limits.put("max_drawdown", limit("15", "20", 133.3333));
        limits.put("daily_loss", limit("2000", "2500", 125.0));
        return withLimits(metrics("beta", ts, "8000", "10000", 20.0, 20.0, "-2000", "-2500", "12000", "12000", 1.5, TradingState.HALTED, Map.of()),
                limits, null);
    }

    public static String gamma(long ts) {
        return withLimits(metrics("gamma", ts, "50000.25", "50000.25", 0.0, 1.25, "250.25", "1200.5", "150000", "-30000", 3.0,
                TradingState.REDUCE_ONLY, Map.of()), null, null);
    }

    private static Map<String, ObjectNode> ordered(String k1, ObjectNode v1, String k2, ObjectNode v2) {
        Map<String, ObjectNode> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static Position position(String account, String exchange, String symbol, String size, String entry, String price, String realized) {
        BigDecimal q = new BigDecimal(size);
        BigDecimal e = new BigDecimal(entry);
        BigDecimal c = new BigDecimal(price);
        return new Position(account, exchange, symbol, q, e, c, c.subtract(e).multiply(q), new BigDecimal(realized), q.abs().multiply(c),
                BigDecimal.ZERO, 0.0, 0.0, TS, TS);
    }

    /** alpha's two positions (see the class comment). */
    public static PortfolioSnapshot alphaPortfolio() {
        Map<String, PortfolioSnapshot.ExchangePositions> exchanges = new LinkedHashMap<>();
        exchanges.put("binance", new PortfolioSnapshot.ExchangePositions(new BigDecimal("31000"), new BigDecimal("1000"), new BigDecimal("250"),
                List.of(position("alpha", "binance", "BTC/USDT:USDT", "0.5", "60000", "62000", "250"))));
        exchanges.put("okx", new PortfolioSnapshot.ExchangePositions(new BigDecimal("12400"), new BigDecimal("-400"), new BigDecimal("-150"),
                List.of(position("alpha", "okx", "ETH/USDT:USDT", "-4", "3000", "3100", "-150"))));
        return new PortfolioSnapshot(PortfolioSnapshot.TYPE, "alpha", TS, new BigDecimal("43400"), new BigDecimal("600"), new BigDecimal("100"), exchanges);
    }

    /** beta's one position: okx ETH/USDT:USDT 4 @ 3100 → 3000 (notional 12000, unrealized −400). */
    public static PortfolioSnapshot betaPortfolio() {
        return new PortfolioSnapshot(PortfolioSnapshot.TYPE, "beta", TS, new BigDecimal("12000"), new BigDecimal("-400"), BigDecimal.ZERO,
                Map.of("okx", new PortfolioSnapshot.ExchangePositions(new BigDecimal("12000"), new BigDecimal("-400"), BigDecimal.ZERO,
                        List.of(position("beta", "okx", "ETH/USDT:USDT", "4", "3100", "3000", "0")))));
    }

    public static AccountsSnapshot alphaAccounts() {
        Map<String, AccountsSnapshot.ExchangeAccount> accounts = new LinkedHashMap<>();
        accounts.put("binance", new AccountsSnapshot.ExchangeAccount(new BigDecimal("20250"), new BigDecimal("21250"), new BigDecimal("1000"),
                new BigDecimal("250"), new BigDecimal("31000"), new BigDecimal("20000"), 31000.0 / 21250.0));
        accounts.put("okx", new AccountsSnapshot.ExchangeAccount(new BigDecimal("9850"), new BigDecimal("9450"), new BigDecimal("-400"),
                new BigDecimal("-150"), new BigDecimal("12400"), new BigDecimal("10000"), 12400.0 / 9450.0));
        return new AccountsSnapshot(AccountsSnapshot.TYPE, "alpha", TS, accounts);
    }

    public static Alert alert(String account, long alertId, String type, String condition, String exchange, String symbol, String severity,
                              String description) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("value", 1);
        context.put("threshold", 1);
        return new Alert(type, alertId, account, condition, description, exchange, symbol, severity, TS / 1000 + alertId, context,
                Alert.CLEARED.equals(type) ? Alert.ACTION_RESUME : Alert.ACTION_HALT, "published " + condition + " #" + alertId, TS + alertId);
    }

    /** The five alerts of the class comment, in the order they are published. */
    public static List<Alert> alerts() {
        return List.of(
                alert("alpha", 1, Alert.TRIPPED, "max_leverage", Alert.ANY, Alert.ANY, Alert.WARNING, "Leverage 3.2 exceeds 3"),
                alert("alpha", 2, Alert.CLEARED, "max_leverage", Alert.ANY, Alert.ANY, Alert.INFO, "Leverage back under 2.7"),
                alert("alpha", 3, Alert.TRIPPED, "volatility", "binance", "BTC/USDT:USDT", Alert.WARNING, "BTC moved 5.5% within the window"),
                alert("beta", 1, Alert.TRIPPED, "max_drawdown", Alert.ANY, Alert.ANY, Alert.CRITICAL, "Drawdown 20% exceeds 15%"),
                alert("beta", 2, Alert.TRIPPED, "daily_loss", Alert.ANY, Alert.ANY, Alert.CRITICAL, "Daily loss 2500 exceeds 2000"));
    }
}
