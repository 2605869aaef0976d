package io.etrms.streams.breakers;

import io.etrms.model.Alert;
import io.etrms.model.Decimals;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.streams.common.Lazy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One condition measured for one scope: the watched value against its limit. Comparisons are on
 * exact decimals (money as it is, percentages and ratios recomputed at 34 digits where the
 * metrics hold a double), so a value equal to its limit never trips.
 *
 * @param breached beyond the limit (upper limits: value &gt; limit; daily loss: daily_pnl &lt; −limit)
 * @param inside   inside the re-arm band: at most 90 % of the limit (daily loss: daily_pnl ≥ −0.9 × limit)
 * @param warningLevel   the value at which it warns (a share of the limit; daily loss: −share × limit); null: no warning
 * @param warning        beyond the warning level
 * @param warningInside  below 90 % of the warning level (daily loss: daily_pnl ≥ 0.9 × the warning level): its warning re-arms
 * @param describedAs    what is measured, for descriptions
 * @param contextBuilder the alert's {@code context}: value, threshold, rearm_threshold, limit and the figures behind them
 */
record Measurement(Condition condition, String exchange, String symbol, boolean breached, boolean inside,
                   BigDecimal warningLevel, boolean warning, boolean warningInside,
                   Lazy<String> describedAs, Lazy<Map<String, Object>> contextBuilder) {
    // Both are read only when a breaker trips or re-arms: built then, not for every record.

    /** What is measured, for a description ("Notional of BTC/USDT on binance"). */
    String label() {
        return describedAs.get();
    }

    /** The alert's {@code context}. */
    Map<String, Object> context() {
        return contextBuilder.get();
    }

    static final BigDecimal REARM = Limits.REARM;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    String key() {
        return BreakerState.key(condition, exchange, symbol);
    }

    /** The watched value; null for unbounded leverage. */
    Object value() {
        return context().get("value");
    }

    /** Every enabled condition of the account, in evaluation order; instruments sorted by exchange and symbol. */
    static List<Measurement> all(Limits limits, AccountView view, Map<String, Long> tickWall, long eventClock, long wallNow,
                                 long staleFloor) {
        List<Measurement> out = new ArrayList<>();
        Double w = limits.warningFraction();
        BigDecimal warn = w == null ? null : BigDecimal.valueOf(limits.warningPct()).divide(HUNDRED);
        RiskMetrics m = view.metrics();
        if (m != null) {
            Double dd = limits.limitOf(Condition.MAX_DRAWDOWN);
            if (dd != null) {
                out.add(drawdown(m, dd, warn));
            }
            Double loss = limits.limitOf(Condition.DAILY_LOSS);
            if (loss != null) {
                out.add(dailyLoss(m, loss, warn, eventClock >= view.sessionEnd()));
            }
            Double lev = limits.limitOf(Condition.MAX_LEVERAGE);
            if (lev != null) {
                out.add(leverage(m, lev, warn));
            }
            Double gross = limits.limitOf(Condition.MAX_GROSS_EXPOSURE);
            if (gross != null) {
                BigDecimal limit = BigDecimal.valueOf(gross);
                out.add(upper(Condition.MAX_GROSS_EXPOSURE, Alert.ANY, Alert.ANY, () -> "Gross exposure", m.totalExposure(),
                        m.totalExposure(), limit, gross, warn, () -> Map.of("total_exposure", m.totalExposure())));
            }
        }
        List<Position> open = new ArrayList<>(view.open());
        open.sort(Comparator.comparing(Position::exchange).thenComparing(Position::symbol));
        Double notional = limits.limitOf(Condition.MAX_POSITION_NOTIONAL);
        Double move = limits.limitOf(Condition.VOLATILITY);
        Double stale = limits.limitOf(Condition.STALE_PRICE);
        for (Position p : open) {
            if (notional != null) {
                out.add(upper(Condition.MAX_POSITION_NOTIONAL, p.exchange(), p.symbol(), () -> "Notional of " + where(p), p.notional(),
                        p.notional(), BigDecimal.valueOf(notional), notional, warn, () -> {
                            Map<String, Object> extra = new LinkedHashMap<>();
                            extra.put("notional", p.notional());
                            extra.put("size", p.size());
                            extra.put("current_price", p.currentPrice());
                            return extra;
                        }));
            }
            if (move != null) {
                double pct = p.priceMovePct() == null ? 0.0 : p.priceMovePct();
                out.add(upper(Condition.VOLATILITY, p.exchange(), p.symbol(), () -> "Price move of " + where(p), Math.abs(pct),
                        BigDecimal.valueOf(Math.abs(pct)), BigDecimal.valueOf(move), move, warn, () -> {
                            Map<String, Object> extra = new LinkedHashMap<>();
                            extra.put("price_move_pct", pct);
                            extra.put("volatility", p.volatility() == null ? 0.0 : p.volatility());
                            extra.put("window_seconds", limits.volatilityWindowSeconds());
                            extra.put("current_price", p.currentPrice());
                            return extra;
                        }));
            }
            if (stale != null) {
                Long seen = tickWall.get(Keys.instrument(p.exchange(), p.symbol()));
                long since = Math.max(seen == null ? staleFloor : seen, staleFloor);
                BigDecimal seconds = BigDecimal.valueOf(Math.max(0, wallNow - since)).divide(THOUSAND);
                out.add(upper(Condition.STALE_PRICE, p.exchange(), p.symbol(), () -> "Time without a price of " + where(p),
                        Decimals.normalize(seconds), seconds, BigDecimal.valueOf(stale), stale, null, () -> {
                            Map<String, Object> extra = new LinkedHashMap<>();
                            extra.put("seconds_since_tick", Decimals.normalize(seconds));
                            if (p.priceTimestamp() != null) {
                                extra.put("last_price_timestamp", p.priceTimestamp());
                            }
                            return extra;
                        }));
            }
        }
        return out;
    }

    /**
     * The reconciliation of each instrument the exchanges reported for the account, sorted by
     * exchange and symbol: the value is |our size − the exchange's size| (our size 0 where we hold
     * nothing). It is breached when the value exceeds the tolerance and the difference has lasted
     * the grace period: since the snapshot that first showed it, {@code eventClock} has moved on by
     * at least {@code reconciliation_grace_seconds}. It is inside (re-arms) as soon as the value is
     * within the tolerance again: no 90 % band, the sizes either agree or they do not.
     *
     * @param eventClock the account's event time (epoch ms)
     */
    static List<Measurement> reconciliation(Limits limits, AccountView view, long eventClock) {
        Double tolerance = limits.limitOf(Condition.RECONCILIATION);
        if (tolerance == null || view.exchange().isEmpty()) {
            return List.of();
        }
        Map<String, BigDecimal> ours = new java.util.HashMap<>();
        for (Position p : view.open()) {
            ours.put(Keys.instrument(p.exchange(), p.symbol()), p.size());
        }
        List<ExchangePosition> snapshots = new ArrayList<>(view.exchange());
        snapshots.sort(Comparator.comparing(ExchangePosition::exchange).thenComparing(ExchangePosition::symbol));
        BigDecimal limit = BigDecimal.valueOf(tolerance);
        long graceMs = limits.reconciliationGraceMs();
        List<Measurement> out = new ArrayList<>(snapshots.size());
        for (ExchangePosition x : snapshots) {
            BigDecimal our = ours.getOrDefault(Keys.instrument(x.exchange(), x.symbol()), BigDecimal.ZERO);
            BigDecimal difference = our.subtract(x.size());
            BigDecimal value = Decimals.normalize(difference.abs());
            boolean beyond = value.compareTo(limit) > 0;
            boolean lasted = x.differsSince() != null && eventClock - x.differsSince() >= graceMs;
            out.add(new Measurement(Condition.RECONCILIATION, x.exchange(), x.symbol(), beyond && lasted, !beyond, null, false, true,
                    new Lazy<>(() -> "Size difference of " + x.symbol() + " on " + x.exchange() + " (ours " + show(our) + ", exchange "
                            + show(x.size()) + ")"), new Lazy<>(() -> {
                        Map<String, Object> context = new LinkedHashMap<>();
                        context.put("value", value);
                        context.put("threshold", tolerance);
                        context.put("rearm_threshold", Decimals.normalize(limit));
                        context.put("limit", tolerance);
                        context.put("our_size", Decimals.normalize(our));
                        context.put("exchange_size", Decimals.normalize(x.size()));
                        context.put("difference", Decimals.normalize(difference));
                        context.put("tolerance", Decimals.normalize(limit));
                        context.put("grace_seconds", Math.max(0, limits.reconciliationGraceSeconds()));
                        context.put("snapshot_timestamp", x.timestamp());
                        if (x.differsSince() != null) {
                            context.put("differs_since", x.differsSince());
                        }
                        return context;
                    })));
        }
        return out;
    }

    private static Measurement drawdown(RiskMetrics m, double limit, BigDecimal warn) {
        BigDecimal peak = m.peakEquity();
        BigDecimal exact = peak == null || peak.signum() <= 0 ? BigDecimal.ZERO
                : peak.subtract(m.totalEquity()).multiply(HUNDRED).divide(peak, Decimals.DIVISION);
        return upper(Condition.MAX_DRAWDOWN, Alert.ANY, Alert.ANY, () -> "Drawdown (%)", m.currentDrawdown(), exact,
                BigDecimal.valueOf(limit), limit, warn, () -> {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("current_drawdown", m.currentDrawdown());
                    extra.put("peak_equity", peak);
                    extra.put("total_equity", m.totalEquity());
                    return extra;
                });
    }

    /** @param sessionOver the session of the latest record has ended: no record of the new one yet, so its daily PnL is 0 */
    private static Measurement dailyLoss(RiskMetrics m, double limit, BigDecimal warn, boolean sessionOver) {
        BigDecimal pnl = sessionOver ? BigDecimal.ZERO : m.dailyPnl();
        BigDecimal threshold = BigDecimal.valueOf(limit).negate();
        BigDecimal rearm = threshold.multiply(REARM);
        BigDecimal level = warn == null ? null : threshold.multiply(warn);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("value", pnl);
        context.put("threshold", Decimals.normalize(threshold));
        context.put("rearm_threshold", Decimals.normalize(rearm));
        context.put("limit", limit);
        context.put("daily_pnl", pnl);
        context.put("total_pnl", m.totalPnl());
        return new Measurement(Condition.DAILY_LOSS, Alert.ANY, Alert.ANY, pnl.compareTo(threshold) < 0, pnl.compareTo(rearm) >= 0,
                level, level != null && pnl.compareTo(level) < 0, level == null || pnl.compareTo(level.multiply(REARM)) >= 0,
                new Lazy<>(() -> "Daily PnL"), new Lazy<>(() -> context));
    }

    private static Measurement leverage(RiskMetrics m, double limit, BigDecimal warn) {
        BigDecimal exposure = m.totalExposure();
        BigDecimal equity = m.totalEquity();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("leverage", m.leverage());
        extra.put("total_exposure", exposure);
        extra.put("total_equity", equity);
        if (equity.signum() <= 0) {
            // Exposure without equity is unbounded leverage, for an account that had equity (a
            // positive peak): one whose deposit has not been seen yet, or a deployment that sends
            // no transfers, has no leverage to judge, and must not be restricted for it.
            boolean funded = m.peakEquity() != null && m.peakEquity().signum() > 0;
            boolean exposed = funded && exposure.signum() > 0;
            Map<String, Object> context = new LinkedHashMap<>();
            if (!exposed) {
                context.put("value", 0.0);
            }
            context.put("threshold", limit);
            context.put("rearm_threshold", Decimals.normalize(BigDecimal.valueOf(limit).multiply(REARM)));
            context.put("limit", limit);
            context.putAll(extra);
            if (exposed) {
                context.put("unbounded", true); // no finite value to give: JSON has no Infinity
            }
            BigDecimal level = warn == null ? null : BigDecimal.valueOf(limit).multiply(warn);
            return new Measurement(Condition.MAX_LEVERAGE, Alert.ANY, Alert.ANY, exposed, !exposed, level, false, !exposed,
                    new Lazy<>(() -> "Leverage"), new Lazy<>(() -> context));
        }
        BigDecimal exact = exposure.divide(equity, Decimals.DIVISION);
        return upper(Condition.MAX_LEVERAGE, Alert.ANY, Alert.ANY, () -> "Leverage", m.leverage(), exact, BigDecimal.valueOf(limit), limit,
                warn, () -> extra);
    }

    /**
     * An upper limit: breached when {@code exact > limit}, inside when {@code exact ≤ 0.9 × limit};
     * warned when {@code exact > warn × limit}, its warning re-armed when {@code exact ≤ 0.9 × warn × limit}.
     */
    private static Measurement upper(Condition condition, String exchange, String symbol, Supplier<String> label, Object value,
                                     BigDecimal exact, BigDecimal limit, double configured, BigDecimal warn,
                                     Supplier<Map<String, Object>> extra) {
        BigDecimal rearm = limit.multiply(REARM);
        BigDecimal level = warn == null ? null : limit.multiply(warn);
        return new Measurement(condition, exchange, symbol, exact.compareTo(limit) > 0, exact.compareTo(rearm) <= 0,
                level, level != null && exact.compareTo(level) > 0, level == null || exact.compareTo(level.multiply(REARM)) <= 0,
                new Lazy<>(label),
                new Lazy<>(() -> {
                    Map<String, Object> context = new LinkedHashMap<>();
                    context.put("value", value);
                    context.put("threshold", configured);
                    context.put("rearm_threshold", Decimals.normalize(rearm));
                    context.put("limit", configured);
                    context.putAll(extra.get());
                    return context;
                }));
    }

    private static String where(Position p) {
        return p.symbol() + " on " + p.exchange();
    }

    /** A number for a description: money and percentages to at most 4 decimal places. */
    static String show(Object value) {
        if (value == null) {
            return "unbounded";
        }
        BigDecimal d = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
        BigDecimal rounded = d.setScale(4, RoundingMode.HALF_EVEN);
        if (rounded.signum() == 0 && d.signum() != 0) {
            return Decimals.normalize(d.round(new java.math.MathContext(4, RoundingMode.HALF_EVEN))).toPlainString(); // 1E-8 is not "0"
        }
        return Decimals.normalize(rounded).toPlainString();
    }
}
