package io.etrms.streams.breakers;

import io.etrms.model.Decimals;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot.LimitUse;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much of each switched-on limit an account uses, for the risk-metrics payload: the figure
 * each breaker watches, in its limit's unit, and value / limit × 100. Account-wide: drawdown (%),
 * daily loss (the loss as a positive amount, 0 while the day is in profit), leverage, gross
 * exposure; per open position: its notional and abs(price move %). (stale_price is measured on the
 * wall clock, not a figure of the account: it is not listed.) Pure.
 */
public final class LimitUses {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private LimitUses() {
    }

    /** {@code metrics} with {@code limits} and {@code position_limits} for these limits and open positions. */
    public static RiskMetrics of(RiskMetrics metrics, Limits limits, List<Position> open) {
        Map<String, LimitUse> account = new LinkedHashMap<>();
        put(account, Condition.MAX_DRAWDOWN, limits, metrics.currentDrawdown() == null ? null : BigDecimal.valueOf(metrics.currentDrawdown()));
        put(account, Condition.DAILY_LOSS, limits, metrics.dailyPnl().signum() < 0 ? metrics.dailyPnl().negate() : BigDecimal.ZERO);
        BigDecimal leverage = metrics.leverage() != null ? BigDecimal.valueOf(metrics.leverage())
                : metrics.totalExposure().signum() == 0 ? BigDecimal.ZERO : null; // exposure without equity: no finite value
        put(account, Condition.MAX_LEVERAGE, limits, leverage);
        put(account, Condition.MAX_GROSS_EXPOSURE, limits, metrics.totalExposure());
        Map<String, Map<String, Map<String, LimitUse>>> positions = new TreeMap<>();
        for (Position p : open) {
            Map<String, LimitUse> uses = new LinkedHashMap<>();
            put(uses, Condition.MAX_POSITION_NOTIONAL, limits, p.notional());
            put(uses, Condition.VOLATILITY, limits, BigDecimal.valueOf(p.priceMovePct() == null ? 0.0 : Math.abs(p.priceMovePct())));
            if (!uses.isEmpty()) {
                positions.computeIfAbsent(p.exchange(), e -> new TreeMap<>()).put(p.symbol(), uses);
            }
        }
        return metrics.withLimits(account, positions);
    }

    private static void put(Map<String, LimitUse> out, Condition condition, Limits limits, BigDecimal value) {
        Double limit = limits.limitOf(condition);
        if (limit == null) {
            return;
        }
        BigDecimal l = BigDecimal.valueOf(limit);
        Double pct = value == null ? null : Decimals.ratio(value.multiply(HUNDRED), l);
        out.put(condition.conditionName(), new LimitUse(Decimals.normalize(l), value == null ? null : Decimals.normalize(value), pct));
    }
}
