package io.etrms.model;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Risk metrics of one account: topic {@code risk-metrics} (compacted), key account.
 * {@code trading_state} is the strictest state anywhere in the account (ACTIVE, REDUCE_ONLY,
 * HALTED); {@code instrument_trading_states} ({@code exchange → symbol → state}) lists the
 * instruments restricted on their own by a position-notional or volatility breaker.
 * {@code limits} ({@code condition_name → use}) and {@code position_limits}
 * ({@code exchange → symbol → condition_name → use}) say how close each switched-on breaker is.
 */
public record RiskMetricsSnapshot(String type, String account, Long timestamp, RiskMetrics riskMetrics) {

    public static final String TYPE = "risk_metrics";

    public record RiskMetrics(
            BigDecimal totalExposure,
            BigDecimal netExposure,
            BigDecimal totalEquity,
            BigDecimal peakEquity,
            Double currentDrawdown,
            Double maxDrawdown,
            BigDecimal totalPnl,
            BigDecimal dailyPnl,
            Double leverage,
            String tradingState,
            Map<String, ExchangeMetrics> exchangeMetrics,
            Map<String, SymbolMetrics> symbolMetrics,
            Map<String, Map<String, String>> instrumentTradingStates,
            Map<String, LimitUse> limits,
            Map<String, Map<String, Map<String, LimitUse>>> positionLimits) {

        /** Without instrument states (every instrument follows {@code trading_state}) and limits. */
        public RiskMetrics(BigDecimal totalExposure, BigDecimal netExposure, BigDecimal totalEquity, BigDecimal peakEquity,
                           Double currentDrawdown, Double maxDrawdown, BigDecimal totalPnl, BigDecimal dailyPnl, Double leverage,
                           String tradingState, Map<String, ExchangeMetrics> exchangeMetrics, Map<String, SymbolMetrics> symbolMetrics) {
            this(totalExposure, netExposure, totalEquity, peakEquity, currentDrawdown, maxDrawdown, totalPnl, dailyPnl, leverage,
                    tradingState, exchangeMetrics, symbolMetrics, null, null, null);
        }

        /** The same figures with other trading states. */
        public RiskMetrics withTradingStates(String state, Map<String, Map<String, String>> instrumentStates) {
            return new RiskMetrics(totalExposure, netExposure, totalEquity, peakEquity, currentDrawdown, maxDrawdown, totalPnl,
                    dailyPnl, leverage, state, exchangeMetrics, symbolMetrics, instrumentStates, limits, positionLimits);
        }

        /** The same figures with the limits in force and their use. */
        public RiskMetrics withLimits(Map<String, LimitUse> accountLimits, Map<String, Map<String, Map<String, LimitUse>>> perPosition) {
            return new RiskMetrics(totalExposure, netExposure, totalEquity, peakEquity, currentDrawdown, maxDrawdown, totalPnl,
                    dailyPnl, leverage, tradingState, exchangeMetrics, symbolMetrics, instrumentTradingStates, accountLimits, perPosition);
        }
    }

    /**
     * How much of one limit is used.
     *
     * @param limit          the limit in force
     * @param value          the measured figure in the limit's unit (drawdown %, daily loss as a positive
     *                       amount, leverage, gross exposure, a position's notional, abs(price move %));
     *                       null when it has no finite value (leverage without equity)
     * @param utilizationPct value / limit × 100 (above 100: beyond the limit); null with {@code value}
     */
    public record LimitUse(BigDecimal limit, BigDecimal value, Double utilizationPct) {
    }

    public record ExchangeMetrics(
            BigDecimal exposure,
            BigDecimal netExposure,
            BigDecimal equity,
            BigDecimal unrealizedPnl,
            BigDecimal realizedPnl,
            Double leverage) {
    }

    public record SymbolMetrics(
            BigDecimal exposure,
            BigDecimal netExposure,
            BigDecimal unrealizedPnl,
            Double volatility,
            Double priceMovePct) {
    }
}
